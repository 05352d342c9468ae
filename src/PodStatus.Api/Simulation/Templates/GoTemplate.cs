using System.Text;
using System.Text.Json;

namespace PodStatus.Api.Simulation.Templates;

/// <summary>How a function's parameter takes its argument, as Go's reflection converts it (exec.go's validateType).</summary>
public enum GoParameter
{
    /// <summary><c>any</c>: a missing value arrives as null.</summary>
    Any,

    /// <summary><c>reflect.Value</c> (the builtins): a missing value arrives as <see cref="GoTemplate.NoValue"/>.</summary>
    Value,

    /// <summary><c>string</c>: anything else is an error.</summary>
    String,

    /// <summary><c>int</c>.</summary>
    Int,

    /// <summary><c>bool</c>.</summary>
    Bool,
}

/// <summary>A function a template may call: its parameters (the last repeated when variadic) and its body, which may
/// throw <see cref="GoTemplateException"/> for an error it returns (<c>error calling NAME: ...</c>).</summary>
public sealed record GoFunction(GoParameter[] Parameters, bool Variadic, Func<object?[], object?> Call);

/// <summary>
/// A template in Go's text/template language, executed as Go executes it over data decoded from JSON (as KWOK
/// decodes an object before rendering a stage: maps, slices, strings, json.Number kept as its text, bools, nil). The
/// rules users meet are Go's: a missing key prints <c>&lt;no value&gt;</c>, a field of null is an error, a JSON
/// number is a string to <c>eq</c> and to truth (<c>"0"</c> is true), <c>and</c>/<c>or</c> stop early and return an
/// argument, maps range and print in key order, and values print as fmt's <c>%v</c> (<c>map[a:1]</c>, <c>[x y]</c>).
/// </summary>
public sealed class GoTemplate
{
    /// <summary>Go's invalid reflect.Value: what a missing map key evaluates to.</summary>
    public static readonly object NoValue = new NoValueMarker();

    /// <summary>How deep templates may call templates (Go's maxExecDepth is 100,000; a stage needs a few).</summary>
    private const int MaxDepth = 1000;

    private readonly string _name;
    private readonly ListNode _root;
    private readonly IReadOnlyDictionary<string, ListNode> _defined;
    private readonly IReadOnlyDictionary<string, GoFunction> _functions;

    private GoTemplate(string name, (ListNode Root, IReadOnlyDictionary<string, ListNode> Defined) parsed, IReadOnlyDictionary<string, GoFunction> functions)
    {
        _name = name;
        (_root, _defined) = parsed;
        _functions = functions;
    }

    /// <summary>Parses <paramref name="text"/>; an unknown function or a syntax error throws with its line.</summary>
    public static GoTemplate Parse(string name, string text, IReadOnlyDictionary<string, GoFunction> functions)
    {
        var all = new Dictionary<string, GoFunction>(GoBuiltins.Functions);
        foreach (var (key, function) in functions)
        {
            all[key] = function;
        }

        return new GoTemplate(name, GoTemplateParser.Parse(name, text, all.ContainsKey), all);
    }

    /// <summary>Runs the template with <paramref name="data"/> (see <see cref="FromJson"/>) as dot.</summary>
    public string Execute(object? data)
    {
        var output = new StringBuilder();
        var state = new State(this, output, [("$", data)], 0);
        state.Walk(data, _root);
        return output.ToString();
    }

    /// <summary>
    /// JSON as Go's decoder gives it with UseNumber: maps, slices, strings, numbers as their text, bools, nil; decoded
    /// as a template reaches it, so it is read only while <paramref name="json"/>'s document is undisposed.
    /// </summary>
    public static object? FromJson(JsonElement json) => GoJsonData.From(json, number => new GoNumber(number.GetRawText()));

    private sealed class NoValueMarker
    {
        public override string ToString() => "<no value>";
    }

    private enum Flow { Normal, Break, Continue }

    private sealed class State(GoTemplate template, StringBuilder output, List<(string Name, object? Value)> variables, int depth)
    {
        private Node? _at;

        public Flow Walk(object? dot, Node node)
        {
            _at = node;
            switch (node)
            {
                case TextNode text:
                    output.Append(text.Text);
                    return Flow.Normal;
                case ActionNode action:
                    var value = EvalPipeline(dot, action.Pipe);
                    if (action.Pipe.Declared.Count == 0)
                    {
                        output.Append(GoFormat.Print(value));
                    }

                    return Flow.Normal;
                case ListNode list:
                    foreach (var child in list.Nodes)
                    {
                        if (Walk(dot, child) is not Flow.Normal and var flow)
                        {
                            return flow;
                        }
                    }

                    return Flow.Normal;
                case BranchNode { Keyword: "range" } range:
                    return WalkRange(dot, range);
                case BranchNode branch:
                    return WalkIfOrWith(dot, branch);
                case TemplateNode call:
                    // Go's walkTemplate: the pipeline's value is dot and $ of a template with variables of its own.
                    if (depth >= MaxDepth)
                    {
                        throw Fail($"exceeded maximum template depth ({MaxDepth})");
                    }

                    var argument = call.Pipe is null ? null : EvalPipeline(dot, call.Pipe);
                    new State(template, output, [("$", argument)], depth + 1).Walk(argument, template._defined[call.Name]);
                    return Flow.Normal;
                case BreakNode:
                    return Flow.Break;
                case ContinueNode:
                    return Flow.Continue;
                default:
                    throw Fail($"unknown node {node}");
            }
        }

        private Flow WalkIfOrWith(object? dot, BranchNode branch)
        {
            var mark = variables.Count;
            var value = EvalPipeline(dot, branch.Pipe);
            try
            {
                if (GoBuiltins.IsTrue(value))
                {
                    return Walk(branch.Keyword == "with" ? value : dot, branch.List);
                }

                return branch.Else is null ? Flow.Normal : Walk(dot, branch.Else);
            }
            finally
            {
                variables.RemoveRange(mark, variables.Count - mark);
            }
        }

        private Flow WalkRange(object? dot, BranchNode range)
        {
            var mark = variables.Count;
            var value = EvalPipeline(dot, range.Pipe);
            var any = false;
            try
            {
                IEnumerable<(object? Key, object? Element)> items = value switch
                {
                    IReadOnlyList<object?> list => list.Select((element, index) => ((object?)(long)index, element)),
                    IReadOnlyDictionary<string, object?> map => map.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => ((object?)pair.Key, pair.Value)),
                    long count => Enumerable.Range(0, (int)Math.Max(0, count)).Select(i => ((object?)(long)i, (object?)(long)i)),
                    null => [],
                    _ when ReferenceEquals(value, NoValue) => [],
                    _ => throw Fail($"range can't iterate over {GoFormat.Print(value)}"),
                };
                var iterationMark = variables.Count;
                foreach (var (key, element) in items)
                {
                    any = true;
                    // Each iteration binds its variables afresh (Go overwrites them in place).
                    variables.RemoveRange(iterationMark, variables.Count - iterationMark);
                    // One variable takes the element; two take the key (or index) and the element.
                    if (range.Pipe.Declared.Count == 1)
                    {
                        Set(range.Pipe.Declared[0], element, range.Pipe.IsAssign);
                    }
                    else if (range.Pipe.Declared.Count == 2)
                    {
                        Set(range.Pipe.Declared[0], key, range.Pipe.IsAssign);
                        Set(range.Pipe.Declared[1], element, range.Pipe.IsAssign);
                    }

                    var flow = Walk(element, range.List);
                    if (flow == Flow.Break)
                    {
                        break;
                    }
                }

                variables.RemoveRange(mark, variables.Count - mark);
                return !any && range.Else is not null ? Walk(dot, range.Else) : Flow.Normal;
            }
            finally
            {
                if (variables.Count > mark)
                {
                    variables.RemoveRange(mark, variables.Count - mark);
                }
            }
        }

        private void Set(string name, object? value, bool assign)
        {
            if (assign)
            {
                var index = variables.FindLastIndex(variable => variable.Name == name);
                variables[index] = (name, value);
            }
            else
            {
                variables.Add((name, value));
            }
        }

        private object? EvalPipeline(object? dot, PipeNode pipe)
        {
            object? value = Missing;
            foreach (var command in pipe.Commands)
            {
                value = EvalCommand(dot, command, value);
                // An interface holding nil becomes an invalid value (exec.go: "dig down one level").
                value ??= NoValue;
            }

            if (pipe.Declared.Count > 0)
            {
                Set(pipe.Declared[0], value, pipe.IsAssign);
            }

            return value;
        }

        /// <summary>No value piped in from a previous command (exec.go's missingVal).</summary>
        private static readonly object Missing = new();

        private object? EvalCommand(object? dot, CommandNode command, object? final)
        {
            var first = command.Args[0];
            _at = first;
            switch (first)
            {
                case IdentifierNode function:
                    return Call(dot, function.Name, command.Args, final);
                case FieldNode field:
                    return EvalFields(dot, field.Fields, command.Args, final);
                case VariableNode variable:
                    return EvalFields(Lookup(variable.Name), variable.Fields, command.Args, final);
                case ChainNode chain:
                    return EvalFields(EvalArg(dot, chain.Target, GoParameter.Value), chain.Fields, command.Args, final);
            }

            if (command.Args.Count > 1 || final != Missing)
            {
                throw Fail($"can't give argument to non-function {first}");
            }

            return first switch
            {
                PipeNode pipe => EvalPipeline(dot, pipe),
                DotNode => dot,
                ConstantNode constant => constant.Value,
                NilNode => throw Fail("nil is not a command"),
                _ => throw Fail($"can't evaluate command {first}"),
            };
        }

        private object? Lookup(string name)
        {
            for (var i = variables.Count - 1; i >= 0; i--)
            {
                if (variables[i].Name == name)
                {
                    return variables[i].Value;
                }
            }

            throw Fail($"undefined variable: {name}");
        }

        /// <summary>exec.go's evalFieldChain over maps: a missing key is no value; a field of nil is an error.</summary>
        private object? EvalFields(object? receiver, string[] fields, List<Node> args, object? final)
        {
            if (fields.Length > 0 && (args.Count > 1 || final != Missing))
            {
                throw Fail($"{fields[^1]} is not a method but has arguments");
            }

            if (fields.Length == 0 && (args.Count > 1 || final != Missing))
            {
                throw Fail($"can't give argument to non-function {args[0]}");
            }

            for (var i = 0; i < fields.Length; i++)
            {
                // A value read from a map has Go's static type interface {}, which is what its errors name.
                var field = fields[i];
                receiver = receiver switch
                {
                    _ when ReferenceEquals(receiver, NoValue) => NoValue,
                    null => throw Fail($"nil pointer evaluating interface {{}}.{field}"),
                    IReadOnlyDictionary<string, object?> map => map.TryGetValue(field, out var value) ? value : NoValue,
                    _ => throw Fail($"can't evaluate field {field} in type {(i > 0 ? "interface {}" : GoFormat.TypeName(receiver))}"),
                };
            }

            return receiver;
        }

        private object? Call(object? dot, string name, List<Node> args, object? final)
        {
            var function = template._functions[name];
            var given = args.Count - 1 + (final == Missing ? 0 : 1);
            var fixedCount = function.Parameters.Length - (function.Variadic ? 1 : 0);
            if (function.Variadic ? given < fixedCount : given != fixedCount)
            {
                throw Fail($"wrong number of args for {name}: want {(function.Variadic ? "at least " : "")}{fixedCount} got {given}");
            }

            // and/or evaluate their arguments one by one and stop at the first that decides (Go 1.18).
            if (name is "and" or "or")
            {
                object? value = NoValue;
                for (var i = 0; i < given; i++)
                {
                    value = i < args.Count - 1 ? EvalArg(dot, args[i + 1], GoParameter.Value) : final;
                    if (GoBuiltins.IsTrue(value) == (name == "or"))
                    {
                        return value;
                    }
                }

                return value;
            }

            var values = new object?[given];
            for (var i = 0; i < given; i++)
            {
                var parameter = function.Parameters[Math.Min(i, function.Parameters.Length - 1)];
                values[i] = i < args.Count - 1 ? EvalArg(dot, args[i + 1], parameter) : Convert(final, parameter);
            }

            try
            {
                return function.Call(values);
            }
            catch (GoTemplateException error)
            {
                throw Fail($"error calling {name}: {error.Message}");
            }
        }

        private object? EvalArg(object? dot, Node node, GoParameter parameter)
        {
            _at = node;
            switch (node)
            {
                case NilNode:
                    return parameter is GoParameter.Any or GoParameter.Value ? null : throw Fail($"cannot assign nil to {GoFormat.ParameterName(parameter)}");
                case ConstantNode constant:
                    return parameter switch
                    {
                        GoParameter.Int when constant.Value is long => constant.Value,
                        GoParameter.Int => throw Fail($"expected integer; found {constant.Text}"),
                        GoParameter.String when constant.Value is string => constant.Value,
                        GoParameter.String => throw Fail($"expected string; found {constant.Text}"),
                        GoParameter.Bool when constant.Value is bool => constant.Value,
                        GoParameter.Bool => throw Fail($"expected bool; found {constant.Text}"),
                        _ => constant.Value,
                    };
                case PipeNode pipe:
                    return Convert(EvalPipeline(dot, pipe), parameter);
                case IdentifierNode function:
                    return Convert(Call(dot, function.Name, [node], Missing), parameter);
                case DotNode:
                    return Convert(dot, parameter);
                case FieldNode field:
                    return Convert(EvalFields(dot, field.Fields, [node], Missing), parameter);
                case VariableNode variable:
                    return Convert(EvalFields(Lookup(variable.Name), variable.Fields, [node], Missing), parameter);
                case ChainNode chain:
                    return Convert(EvalFields(EvalArg(dot, chain.Target, GoParameter.Value), chain.Fields, [node], Missing), parameter);
                default:
                    throw Fail($"can't handle {node} for arg");
            }
        }

        /// <summary>exec.go's validateType: what a parameter of that type accepts.</summary>
        private object? Convert(object? value, GoParameter parameter)
        {
            var missing = ReferenceEquals(value, NoValue);
            return parameter switch
            {
                GoParameter.Value => value,
                GoParameter.Any => missing ? null : value,
                _ when missing => throw Fail($"invalid value; expected {GoFormat.ParameterName(parameter)}"),
                GoParameter.String when value is string => value,
                GoParameter.Int when value is long => value,
                GoParameter.Bool when value is bool => value,
                _ => throw Fail($"wrong type for value; expected {GoFormat.ParameterName(parameter)}; got {GoFormat.TypeName(value)}"),
            };
        }

        private GoTemplateException Fail(string message) =>
            new($"template: {template._name}:{_at?.Line ?? 1}: executing \"{template._name}\" at <{_at}>: {message}");
    }
}

/// <summary>A number from JSON, kept as its text, as Go's json.Number (a string type).</summary>
public sealed record GoNumber(string Text)
{
    public override string ToString() => Text;
}
