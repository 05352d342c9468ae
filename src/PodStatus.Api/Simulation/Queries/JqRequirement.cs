namespace PodStatus.Api.Simulation.Queries;

/// <summary>
/// One of a stage's <c>matchExpressions</c>, as KWOK's expression.Requirement matches it: the key is a jq query, and
/// any of its results decides. In matches when a result is one of the values (strings as they are, booleans as
/// "true"/"false"; a JSON number never does, since it decodes as float64, which KWOK's hasValue does not compare);
/// Exists when a result is not null. A query that fails or gives nothing matches NotIn and DoesNotExist only.
/// </summary>
public sealed class JqRequirement
{
    private readonly JqQuery _query;
    private readonly string _operator;
    private readonly string[] _values;

    private JqRequirement(JqQuery query, string @operator, string[] values)
    {
        _query = query;
        _operator = @operator;
        _values = values;
    }

    /// <summary>KWOK's NewRequirement, with its messages for operators and values that do not go together.</summary>
    public static JqRequirement Create(string key, string @operator, IReadOnlyList<string>? values)
    {
        var query = JqQuery.Parse(key);
        var count = values?.Count ?? 0;
        switch (@operator)
        {
            case "In" or "NotIn" when count == 0:
                throw new JqSyntaxException("for 'in', 'notin' operators, values set can't be empty");
            case "Exists" or "DoesNotExist" when count != 0:
                throw new JqSyntaxException("values set must be empty for exists and does not exist");
            case "In" or "NotIn" or "Exists" or "DoesNotExist":
                return new JqRequirement(query, @operator, [.. values ?? []]);
            default:
                throw new JqSyntaxException($"operator \"{@operator}\" is not supported");
        }
    }

    public bool Matches(object? data)
    {
        var results = _query.Execute(data);
        if (results is null)
        {
            return _operator is "NotIn" or "DoesNotExist";
        }

        return _operator switch
        {
            "In" => results.Any(HasValue),
            "NotIn" => !results.Any(HasValue),
            "Exists" => results.Any(result => result is not null),
            _ => !results.Any(result => result is not null),
        };
    }

    private bool HasValue(object? result) => result switch
    {
        string text => _values.Contains(text),
        bool flag => _values.Contains(flag ? "true" : "false"),
        _ => false,
    };
}
