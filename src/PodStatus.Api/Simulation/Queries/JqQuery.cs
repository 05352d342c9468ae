using System.Globalization;
using System.Text;
using System.Text.Json;
using PodStatus.Api.Serialization;

namespace PodStatus.Api.Simulation.Queries;

/// <summary>A jq expression that is not supported, or not jq: refused when a stage is loaded.</summary>
public sealed class JqSyntaxException(string message) : Exception(message);

/// <summary>
/// The jq expressions KWOK's stages select and read with (pkg/utils/expression runs them with gojq): paths
/// (<c>.a.b</c>, <c>.a["k"]</c>, <c>.a[0]</c>), iteration (<c>.a[]</c>, <c>.a.[]</c>), <c>?</c>, pipes, commas,
/// comparisons, <c>and</c>/<c>or</c>/<c>//</c>, literals and parentheses, and the functions <c>select</c>,
/// <c>not</c>, <c>length</c>, <c>has</c>, <c>type</c>, <c>empty</c>. Anything else is refused at parse time.
/// Values are JSON decoded as Go's encoding/json decodes into interface{} (numbers as float64), as KWOK's
/// ToJSONStandard does; objects iterate in key order, as gojq's do.
/// </summary>
public sealed class JqQuery
{
    private readonly Expression _root;

    private JqQuery(string source, Expression root)
    {
        Source = source;
        _root = root;
    }

    public string Source { get; }

    public static JqQuery Parse(string source) => new(source, new Parser(source).ParseAll());

    /// <summary>
    /// Every output, as KWOK's Query.Execute collects them; null when the query fails on this input (an error from
    /// jq is taken as no result there, never as a failure of the stage).
    /// </summary>
    public IReadOnlyList<object?>? Execute(object? input)
    {
        try
        {
            return _root.TryEvalOne(input, out var some, out var value) ? (some ? [value] : []) : [.. _root.Eval(input)];
        }
        catch (JqRuntimeException)
        {
            return null;
        }
    }

    /// <summary>
    /// JSON as Go's encoding/json decodes it into interface{}: maps, slices, float64, string, bool, nil; decoded as a
    /// query reaches it, so it is read only while <paramref name="json"/>'s document is undisposed.
    /// </summary>
    public static object? FromJson(JsonElement json) => GoJsonData.From(json, number => number.GetDouble());

    private sealed class JqRuntimeException(string message) : Exception(message);

    // ---- values ----

    private static bool IsTrue(object? value) => value is not (null or false);

    private static string TypeOf(object? value) => value switch
    {
        null => "null",
        bool => "boolean",
        double => "number",
        string => "string",
        IReadOnlyList<object?> => "array",
        _ => "object",
    };

    private static int Order(object? value) => value switch
    {
        null => 0,
        false => 1,
        true => 2,
        double => 3,
        string => 4,
        IReadOnlyList<object?> => 5,
        _ => 6,
    };

    /// <summary>jq's total order: null, false, true, numbers, strings, arrays, objects.</summary>
    private static int Compare(object? a, object? b)
    {
        var byType = Order(a).CompareTo(Order(b));
        if (byType != 0)
        {
            return byType;
        }

        switch (a, b)
        {
            case (double x, double y):
                return x.CompareTo(y);
            case (string x, string y):
                return string.CompareOrdinal(x, y);
            case (IReadOnlyList<object?> x, IReadOnlyList<object?> y):
                for (var i = 0; i < Math.Min(x.Count, y.Count); i++)
                {
                    if (Compare(x[i], y[i]) is not 0 and var order)
                    {
                        return order;
                    }
                }

                return x.Count.CompareTo(y.Count);
            case (IReadOnlyDictionary<string, object?> x, IReadOnlyDictionary<string, object?> y):
                var keys = Compare(Keys(x), Keys(y));
                if (keys != 0)
                {
                    return keys;
                }

                foreach (var key in x.Keys.Order(StringComparer.Ordinal))
                {
                    if (Compare(x[key], y[key]) is not 0 and var order)
                    {
                        return order;
                    }
                }

                return 0;
            default:
                return 0;
        }

        static List<object?> Keys(IReadOnlyDictionary<string, object?> map) => [.. map.Keys.Order(StringComparer.Ordinal)];
    }

    private static string Show(object? value) => value switch
    {
        null => "null",
        string s => JsonSerializer.Serialize(s, DomJson.Default.String),
        bool b => b ? "true" : "false",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        _ => TypeOf(value),
    };

    // ---- the expression tree, evaluated as generators ----

    // Most of what stages ask (.status.phase, select(.type == "Ready")) gives at most one output per input: such an
    // expression answers TryEvalOne without making a generator, and the generators ask it first. It is pure, so an
    // expression that cannot answer it (it may give several) is simply evaluated again as a generator, and it fails
    // where the generator would, before any output.
    private abstract class Expression
    {
        public abstract IEnumerable<object?> Eval(object? input);

        /// <summary>True when this gives at most one output for <paramref name="input"/>: <paramref name="some"/> says
        /// whether it gave one. False when it may give several (then use <see cref="Eval"/>).</summary>
        public virtual bool TryEvalOne(object? input, out bool some, out object? value) => Several(out some, out value);

        /// <summary>The answer of an expression that may give several outputs here: ask <see cref="Eval"/>.</summary>
        protected static bool Several(out bool some, out object? value)
        {
            (some, value) = (false, null);
            return false;
        }

        protected static bool One(object? output, out bool some, out object? value)
        {
            (some, value) = (true, output);
            return true;
        }

        protected static bool None(out bool some, out object? value)
        {
            (some, value) = (false, null);
            return true;
        }

        /// <summary>The outputs for <paramref name="input"/>, without a generator when there is at most one.</summary>
        public IEnumerable<object?> Outputs(object? input) =>
            TryEvalOne(input, out var some, out var value) ? (some ? [value] : []) : Eval(input);
    }

    private sealed class Identity : Expression
    {
        public override IEnumerable<object?> Eval(object? input) => [input];

        public override bool TryEvalOne(object? input, out bool some, out object? value) => One(input, out some, out value);
    }

    private sealed class Literal(object? value) : Expression
    {
        public override IEnumerable<object?> Eval(object? input) => [value];

        public override bool TryEvalOne(object? input, out bool some, out object? output) => One(value, out some, out output);
    }

    private sealed class Empty : Expression
    {
        public override IEnumerable<object?> Eval(object? input) => [];

        public override bool TryEvalOne(object? input, out bool some, out object? value) => None(out some, out value);
    }

    private sealed class Pipe(Expression left, Expression right) : Expression
    {
        public override IEnumerable<object?> Eval(object? input)
        {
            foreach (var value in left.Eval(input))
            {
                if (right.TryEvalOne(value, out var some, out var output))
                {
                    if (some)
                    {
                        yield return output;
                    }

                    continue;
                }

                foreach (var each in right.Eval(value))
                {
                    yield return each;
                }
            }
        }

        public override bool TryEvalOne(object? input, out bool some, out object? value)
        {
            if (!left.TryEvalOne(input, out var any, out var between))
            {
                return Several(out some, out value);
            }

            return any ? right.TryEvalOne(between, out some, out value) : None(out some, out value);
        }
    }

    private sealed class Comma(Expression left, Expression right) : Expression
    {
        public override IEnumerable<object?> Eval(object? input) => left.Eval(input).Concat(right.Eval(input));
    }

    /// <summary><c>target[key]</c> and <c>target.key</c>: null for null, an error for what cannot be indexed so.</summary>
    private sealed class IndexOf(Expression target, Expression key) : Expression
    {
        public override IEnumerable<object?> Eval(object? input)
        {
            foreach (var value in target.Outputs(input))
            {
                foreach (var index in key.Outputs(input))
                {
                    yield return Index(value, index);
                }
            }
        }

        public override bool TryEvalOne(object? input, out bool some, out object? value)
        {
            if (!target.TryEvalOne(input, out var any, out var indexed))
            {
                return Several(out some, out value);
            }

            if (!any)
            {
                return None(out some, out value);
            }

            if (!key.TryEvalOne(input, out any, out var index))
            {
                return Several(out some, out value);
            }

            return any ? One(Index(indexed, index), out some, out value) : None(out some, out value);
        }

        private static object? Index(object? value, object? index) => (value, index) switch
        {
            (null, string or double or null) => null,
            (IReadOnlyDictionary<string, object?> map, string name) => map.GetValueOrDefault(name),
            (IReadOnlyList<object?> list, double number) => At(list, number),
            _ => throw new JqRuntimeException($"expected an object but got: {TypeOf(value)} ({Show(value)})"),
        };

        private static object? At(IReadOnlyList<object?> list, double number)
        {
            var i = (int)Math.Floor(number);
            i = i < 0 ? list.Count + i : i;
            return i >= 0 && i < list.Count ? list[i] : null;
        }
    }

    /// <summary><c>target[]</c>: the elements of an array, the values of an object in key order.</summary>
    private sealed class Iterate(Expression target) : Expression
    {
        public override IEnumerable<object?> Eval(object? input) => target.Outputs(input).SelectMany(value => value switch
        {
            IReadOnlyList<object?> list => list,
            IReadOnlyDictionary<string, object?> map => map.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => pair.Value),
            _ => throw new JqRuntimeException($"cannot iterate over: {Show(value)}"),
        });
    }

    /// <summary><c>expr?</c>: its outputs up to the first error, and no error.</summary>
    private sealed class Try(Expression body) : Expression
    {
        public override IEnumerable<object?> Eval(object? input)
        {
            using var outputs = body.Outputs(input).GetEnumerator();
            while (true)
            {
                try
                {
                    if (!outputs.MoveNext())
                    {
                        yield break;
                    }
                }
                catch (JqRuntimeException)
                {
                    yield break;
                }

                yield return outputs.Current;
            }
        }

        public override bool TryEvalOne(object? input, out bool some, out object? value)
        {
            try
            {
                return body.TryEvalOne(input, out some, out value);
            }
            catch (JqRuntimeException)
            {
                return None(out some, out value);
            }
        }
    }

    private sealed class Binary(string op, Expression left, Expression right) : Expression
    {
        public override IEnumerable<object?> Eval(object? input)
        {
            switch (op)
            {
                case "and" or "or":
                    foreach (var l in left.Outputs(input))
                    {
                        if (IsTrue(l) == (op == "or"))
                        {
                            yield return op == "or";
                            continue;
                        }

                        foreach (var r in right.Outputs(input))
                        {
                            yield return IsTrue(r);
                        }
                    }

                    yield break;
                case "//":
                    var any = false;
                    var truthy = new List<object?>();
                    try
                    {
                        truthy.AddRange(left.Outputs(input).Where(IsTrue));
                    }
                    catch (JqRuntimeException)
                    {
                    }

                    foreach (var value in truthy)
                    {
                        any = true;
                        yield return value;
                    }

                    if (!any)
                    {
                        foreach (var value in right.Outputs(input))
                        {
                            yield return value;
                        }
                    }

                    yield break;
            }

            // jq evaluates the right operand first and the left inside it (the outer loop is the right's).
            foreach (var r in right.Outputs(input))
            {
                foreach (var l in left.Outputs(input))
                {
                    yield return Compared(op, Compare(l, r));
                }
            }
        }

        public override bool TryEvalOne(object? input, out bool some, out object? value)
        {
            switch (op)
            {
                case "//":
                    return Several(out some, out value);
                case "and" or "or":
                    if (!left.TryEvalOne(input, out var any, out var l))
                    {
                        return Several(out some, out value);
                    }

                    if (!any)
                    {
                        return None(out some, out value);
                    }

                    if (IsTrue(l) == (op == "or"))
                    {
                        return One(op == "or", out some, out value);
                    }

                    return right.TryEvalOne(input, out any, out var r)
                        ? any ? One(IsTrue(r), out some, out value) : None(out some, out value)
                        : Several(out some, out value);
            }

            // The right operand first, as the generator evaluates it.
            if (!right.TryEvalOne(input, out var hasRight, out var rightValue))
            {
                return Several(out some, out value);
            }

            if (!hasRight)
            {
                return None(out some, out value);
            }

            if (!left.TryEvalOne(input, out var hasLeft, out var leftValue))
            {
                return Several(out some, out value);
            }

            return hasLeft ? One(Compared(op, Compare(leftValue, rightValue)), out some, out value) : None(out some, out value);
        }

        private static bool Compared(string op, int order) => op switch
        {
            "==" => order == 0,
            "!=" => order != 0,
            "<" => order < 0,
            "<=" => order <= 0,
            ">" => order > 0,
            _ => order >= 0,
        };
    }

    private sealed class Function(string name, Expression? argument) : Expression
    {
        public override IEnumerable<object?> Eval(object? input)
        {
            switch (name)
            {
                case "select":
                    foreach (var condition in argument!.Outputs(input))
                    {
                        if (IsTrue(condition))
                        {
                            yield return input;
                        }
                    }

                    yield break;
                case "has":
                    foreach (var key in argument!.Outputs(input))
                    {
                        yield return Has(input, key);
                    }

                    yield break;
                default:
                    yield return Of(input);
                    yield break;
            }
        }

        public override bool TryEvalOne(object? input, out bool some, out object? value)
        {
            if (name is not ("select" or "has"))
            {
                return One(Of(input), out some, out value);
            }

            if (!argument!.TryEvalOne(input, out var any, out var argumentValue))
            {
                return Several(out some, out value);
            }

            if (!any)
            {
                return None(out some, out value);
            }

            return name == "has"
                ? One(Has(input, argumentValue), out some, out value)
                : IsTrue(argumentValue) ? One(input, out some, out value) : None(out some, out value);
        }

        private static bool Has(object? input, object? key) => (input, key) switch
        {
            (IReadOnlyDictionary<string, object?> map, string text) => map.ContainsKey(text),
            (IReadOnlyList<object?> list, double number) => number >= 0 && number < list.Count,
            _ => throw new JqRuntimeException($"cannot check whether {TypeOf(input)} has a key of type {TypeOf(key)}"),
        };

        /// <summary>The functions of no argument: not, type, length.</summary>
        private object? Of(object? input) => name switch
        {
            "not" => !IsTrue(input),
            "type" => TypeOf(input),
            "length" => input switch
            {
                null => 0d,
                string s => (double)s.EnumerateRunes().Count(),
                double d => Math.Abs(d),
                IReadOnlyList<object?> list => (double)list.Count,
                IReadOnlyDictionary<string, object?> map => (double)map.Count,
                _ => throw new JqRuntimeException($"{TypeOf(input)} ({Show(input)}) has no length"),
            },
            _ => throw new System.Diagnostics.UnreachableException($"the parser admits no function {name}"),
        };
    }

    // ---- parsing ----

    private sealed class Parser(string source)
    {
        private static readonly Dictionary<string, int> Arity = new()
        {
            ["select"] = 1, ["has"] = 1, ["not"] = 0, ["type"] = 0, ["length"] = 0, ["empty"] = 0,
        };

        private int _at;

        public Expression ParseAll()
        {
            var expression = ParsePipe();
            SkipSpace();
            if (_at < source.Length)
            {
                throw Unsupported($"\"{source[_at..]}\"");
            }

            return expression;
        }

        private JqSyntaxException Unsupported(string what) =>
            new($"jq expression {JsonSerializer.Serialize(source, DomJson.Default.String)}: {what} is not supported (supported: paths, [], ?, |, \",\", " +
                "==, !=, <, <=, >, >=, and, or, //, literals, parentheses, select, not, length, has, type, empty)");

        private void SkipSpace()
        {
            while (_at < source.Length && char.IsWhiteSpace(source[_at]))
            {
                _at++;
            }
        }

        private bool Accept(string token)
        {
            SkipSpace();
            if (string.CompareOrdinal(source, _at, token, 0, token.Length) != 0)
            {
                return false;
            }

            // A keyword is a whole word.
            if (char.IsLetter(token[0]) && _at + token.Length < source.Length && (char.IsLetterOrDigit(source[_at + token.Length]) || source[_at + token.Length] == '_'))
            {
                return false;
            }

            _at += token.Length;
            return true;
        }

        private void Expect(string token)
        {
            if (!Accept(token))
            {
                throw Unsupported(_at < source.Length ? $"\"{source[_at..]}\" (expected {token})" : $"the end (expected {token})");
            }
        }

        private Expression ParsePipe()
        {
            var left = ParseComma();
            return Accept("|") ? new Pipe(left, ParsePipe()) : left;
        }

        private Expression ParseComma()
        {
            var left = ParseAlternative();
            while (Accept(","))
            {
                left = new Comma(left, ParseAlternative());
            }

            return left;
        }

        private Expression ParseAlternative()
        {
            var left = ParseOr();
            return Accept("//") ? new Binary("//", left, ParseAlternative()) : left;
        }

        private Expression ParseOr()
        {
            var left = ParseAnd();
            while (Accept("or"))
            {
                left = new Binary("or", left, ParseAnd());
            }

            return left;
        }

        private Expression ParseAnd()
        {
            var left = ParseComparison();
            while (Accept("and"))
            {
                left = new Binary("and", left, ParseComparison());
            }

            return left;
        }

        private Expression ParseComparison()
        {
            var left = ParsePostfix();
            foreach (var op in new[] { "==", "!=", "<=", ">=", "<", ">" })
            {
                if (Accept(op))
                {
                    return new Binary(op, left, ParsePostfix());
                }
            }

            SkipSpace();
            if (_at < source.Length && source[_at] is '+' or '-' or '*' or '/' or '%' && !(source[_at] == '/' && _at + 1 < source.Length && source[_at + 1] == '/'))
            {
                throw Unsupported($"arithmetic (\"{source[_at]}\")");
            }

            return left;
        }

        /// <summary>A term and what follows it: <c>.name</c>, <c>[...]</c>, <c>.[...]</c>, <c>?</c>.</summary>
        private Expression ParsePostfix()
        {
            var term = ParseTerm();
            while (true)
            {
                SkipSpace();
                if (_at >= source.Length)
                {
                    return term;
                }

                if (source[_at] == '?')
                {
                    _at++;
                    term = new Try(term);
                }
                else if (source[_at] == '[')
                {
                    term = Bracket(term);
                }
                else if (source[_at] == '.' && _at + 1 < source.Length && (source[_at + 1] == '[' || source[_at + 1] == '"' || IsNameStart(source[_at + 1])))
                {
                    _at++;
                    term = source[_at] == '[' ? Bracket(term) : new IndexOf(term, new Literal(Name()));
                }
                else
                {
                    return term;
                }
            }
        }

        private Expression ParseTerm()
        {
            SkipSpace();
            if (_at >= source.Length)
            {
                throw Unsupported("an empty expression");
            }

            var c = source[_at];
            if (c == '.')
            {
                _at++;
                if (_at < source.Length && source[_at] == '.')
                {
                    throw Unsupported("recursion (\"..\")");
                }

                if (_at < source.Length && (IsNameStart(source[_at]) || source[_at] == '"'))
                {
                    return new IndexOf(new Identity(), new Literal(Name()));
                }

                return _at < source.Length && source[_at] == '[' ? Bracket(new Identity()) : new Identity();
            }

            if (c == '(')
            {
                _at++;
                var inner = ParsePipe();
                Expect(")");
                return inner;
            }

            if (c == '"')
            {
                return new Literal(StringLiteral());
            }

            if (char.IsAsciiDigit(c) || (c == '-' && _at + 1 < source.Length && char.IsAsciiDigit(source[_at + 1])))
            {
                var start = _at++;
                while (_at < source.Length && (char.IsAsciiDigit(source[_at]) || source[_at] is '.' or 'e' or 'E' || (source[_at] is '+' or '-' && source[_at - 1] is 'e' or 'E')))
                {
                    _at++;
                }

                return new Literal(double.Parse(source[start.._at], CultureInfo.InvariantCulture));
            }

            if (IsNameStart(c))
            {
                var start = _at;
                while (_at < source.Length && (char.IsLetterOrDigit(source[_at]) || source[_at] == '_'))
                {
                    _at++;
                }

                var name = source[start.._at];
                switch (name)
                {
                    case "true":
                        return new Literal(true);
                    case "false":
                        return new Literal(false);
                    case "null":
                        return new Literal(null);
                }

                if (!Arity.TryGetValue(name, out var arity))
                {
                    throw Unsupported($"the function \"{name}\"");
                }

                Expression? argument = null;
                if (arity == 1)
                {
                    Expect("(");
                    argument = ParsePipe();
                    Expect(")");
                }

                return name == "empty" ? new Empty() : new Function(name, argument);
            }

            throw Unsupported($"\"{source[_at..]}\"");
        }

        /// <summary><c>[]</c> (iterate) or <c>[key]</c> (index) after <paramref name="target"/>.</summary>
        private Expression Bracket(Expression target)
        {
            _at++;
            if (Accept("]"))
            {
                return new Iterate(target);
            }

            var key = ParsePipe();
            SkipSpace();
            if (_at < source.Length && source[_at] == ':')
            {
                throw Unsupported("slices (\"[a:b]\")");
            }

            Expect("]");
            return new IndexOf(target, key);
        }

        private static bool IsNameStart(char c) => char.IsAsciiLetter(c) || c == '_';

        private string Name()
        {
            if (source[_at] == '"')
            {
                return StringLiteral();
            }

            var start = _at;
            while (_at < source.Length && (char.IsAsciiLetterOrDigit(source[_at]) || source[_at] == '_'))
            {
                _at++;
            }

            return source[start.._at];
        }

        private string StringLiteral()
        {
            var start = _at;
            var text = new StringBuilder();
            for (_at++; _at < source.Length; _at++)
            {
                var c = source[_at];
                if (c == '"')
                {
                    _at++;
                    return text.ToString();
                }

                if (c == '\\' && _at + 1 < source.Length)
                {
                    c = source[++_at];
                    if (c == '(')
                    {
                        throw Unsupported("string interpolation (\"\\(...)\")");
                    }

                    if (c == 'u' && _at + 4 < source.Length)
                    {
                        text.Append((char)Convert.ToInt32(source.Substring(_at + 1, 4), 16));
                        _at += 4;
                        continue;
                    }

                    text.Append(c switch { 'n' => '\n', 't' => '\t', 'r' => '\r', 'b' => '\b', 'f' => '\f', _ => c });
                    continue;
                }

                text.Append(c);
            }

            throw Unsupported($"an unterminated string ({source[start..]})");
        }
    }
}
