using System.Globalization;
using PodStatus.Api.Validation;

namespace PodStatus.Api.Selection;

/// <summary>
/// A label selector in apimachinery's string syntax: comma-separated requirements, each <c>key</c>, <c>!key</c>,
/// <c>key=v</c>, <c>key==v</c>, <c>key!=v</c>, <c>key in (a,b)</c>, <c>key notin (a,b)</c>, <c>key&gt;n</c> or
/// <c>key&lt;n</c>; all must hold.
/// </summary>
public sealed class LabelSelector
{
    private readonly IReadOnlyList<Func<SelectableFields, bool>> _requirements;

    private LabelSelector(IReadOnlyList<Func<SelectableFields, bool>> requirements) => _requirements = requirements;

    public bool IsEmpty => _requirements.Count == 0;

    public static readonly LabelSelector Everything = new([]);

    public bool Matches(in SelectableFields labels)
    {
        foreach (var requirement in _requirements)
        {
            if (!requirement(labels))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Parses <paramref name="text"/>; a <see cref="FormatException"/> carries upstream-style messages.</summary>
    public static LabelSelector Parse(string? text)
    {
        var requirements = new List<Func<SelectableFields, bool>>();
        if (string.IsNullOrWhiteSpace(text))
        {
            return new LabelSelector(requirements);
        }

        var lexer = new Lexer(text);
        while (true)
        {
            requirements.Add(ParseRequirement(lexer));
            var next = lexer.Next();
            if (next.Kind == TokenKind.End)
            {
                return new LabelSelector(requirements);
            }

            if (next.Kind != TokenKind.Comma)
            {
                throw new FormatException($"found '{next.Text}', expected: ',' or 'end of string'");
            }
        }
    }

    private static Func<SelectableFields, bool> ParseRequirement(Lexer lexer)
    {
        var token = lexer.Next();
        if (token.Kind == TokenKind.DoesNotExist)
        {
            var absentKey = Key(lexer.Next());
            return labels => labels.Label(absentKey) is null;
        }

        var key = Key(token);
        var op = lexer.Peek();
        if (op.Kind is TokenKind.Comma or TokenKind.End)
        {
            return labels => labels.Label(key) is not null;
        }

        lexer.Next();
        switch (op.Kind)
        {
            case TokenKind.Equals or TokenKind.DoubleEquals:
                var value = ValueOrEmpty(lexer);
                return labels => labels.Label(key) == value;
            case TokenKind.NotEquals:
                var excluded = ValueOrEmpty(lexer);
                return labels => labels.Label(key) != excluded;
            case TokenKind.In or TokenKind.NotIn:
                var set = ValueSet(lexer);
                return op.Kind == TokenKind.In
                    ? labels => labels.Label(key) is { } actual && set.Contains(actual)
                    : labels => labels.Label(key) is not { } actual || !set.Contains(actual);
            case TokenKind.GreaterThan or TokenKind.LessThan:
                var bound = lexer.Next();
                if (!long.TryParse(bound.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var limit))
                {
                    throw new FormatException($"for 'Gt', 'Lt' operators, the value must be an integer");
                }

                var greater = op.Kind == TokenKind.GreaterThan;
                return labels => labels.Label(key) is { } actual &&
                    long.TryParse(actual, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) &&
                    (greater ? number > limit : number < limit);
            default:
                throw new FormatException($"found '{op.Text}', expected: in, notin, =, ==, !=, gt, lt");
        }
    }

    private static HashSet<string> ValueSet(Lexer lexer)
    {
        if (lexer.Next().Kind != TokenKind.OpenParen)
        {
            throw new FormatException("found something else, expected: '('");
        }

        var values = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            var token = lexer.Next();
            if (token.Kind == TokenKind.CloseParen && values.Count == 0)
            {
                throw new FormatException("for 'in', 'notin' operators, values set can't be empty");
            }

            values.Add(Value(token));
            var separator = lexer.Next();
            if (separator.Kind == TokenKind.CloseParen)
            {
                return values;
            }

            if (separator.Kind != TokenKind.Comma)
            {
                throw new FormatException($"found '{separator.Text}', expected: ',' or ')'");
            }
        }
    }

    private static string Key(Token token)
    {
        if (token.Kind != TokenKind.Identifier)
        {
            throw new FormatException($"found '{token.Text}', expected: identifier");
        }

        if (Names.QualifiedName(token.Text).FirstOrDefault() is { } problem)
        {
            throw new FormatException($"invalid label key \"{token.Text}\": {problem}");
        }

        return token.Text;
    }

    /// <summary>After <c>=</c>, <c>==</c> or <c>!=</c> the value may be empty (<c>tier=</c>).</summary>
    private static string ValueOrEmpty(Lexer lexer) =>
        lexer.Peek().Kind is TokenKind.Comma or TokenKind.End ? "" : Value(lexer.Next());

    private static string Value(Token token)
    {
        if (token.Kind != TokenKind.Identifier)
        {
            throw new FormatException($"found '{token.Text}', expected: identifier");
        }

        if (Names.LabelValue(token.Text).FirstOrDefault() is { } problem)
        {
            throw new FormatException($"invalid label value: \"{token.Text}\": {problem}");
        }

        return token.Text;
    }

    private enum TokenKind
    {
        End,
        Identifier,
        Comma,
        OpenParen,
        CloseParen,
        DoesNotExist,
        Equals,
        DoubleEquals,
        NotEquals,
        In,
        NotIn,
        GreaterThan,
        LessThan,
    }

    private readonly record struct Token(TokenKind Kind, string Text);

    /// <summary>The selector lexer: identifiers run until whitespace or an operator character.</summary>
    private sealed class Lexer(string text)
    {
        private int _position;
        private Token? _peeked;

        public Token Peek() => _peeked ??= Read();

        public Token Next()
        {
            var token = Peek();
            _peeked = null;
            return token;
        }

        private Token Read()
        {
            while (_position < text.Length && char.IsWhiteSpace(text[_position]))
            {
                _position++;
            }

            if (_position >= text.Length)
            {
                return new Token(TokenKind.End, "");
            }

            var c = text[_position];
            switch (c)
            {
                case ',':
                    _position++;
                    return new Token(TokenKind.Comma, ",");
                case '(':
                    _position++;
                    return new Token(TokenKind.OpenParen, "(");
                case ')':
                    _position++;
                    return new Token(TokenKind.CloseParen, ")");
                case '>':
                    _position++;
                    return new Token(TokenKind.GreaterThan, ">");
                case '<':
                    _position++;
                    return new Token(TokenKind.LessThan, "<");
                case '!':
                    _position++;
                    if (_position < text.Length && text[_position] == '=')
                    {
                        _position++;
                        return new Token(TokenKind.NotEquals, "!=");
                    }

                    return new Token(TokenKind.DoesNotExist, "!");
                case '=':
                    _position++;
                    if (_position < text.Length && text[_position] == '=')
                    {
                        _position++;
                        return new Token(TokenKind.DoubleEquals, "==");
                    }

                    return new Token(TokenKind.Equals, "=");
            }

            var start = _position;
            while (_position < text.Length && !char.IsWhiteSpace(text[_position]) && ",()<>!=".IndexOf(text[_position]) < 0)
            {
                _position++;
            }

            var word = text[start.._position];
            return word switch
            {
                "in" => new Token(TokenKind.In, word),
                "notin" => new Token(TokenKind.NotIn, word),
                _ => new Token(TokenKind.Identifier, word),
            };
        }
    }
}
