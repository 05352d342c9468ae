// Each test class starts PodStatus on a real port through WebApplicationFactory, which finds the app's host through
// a process-wide hook; building several at once can cross them, so these classes run one after another.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
