using System.Globalization;
using System.Text;

namespace PodStatus.Api.Simulation.Templates;

/// <summary>A template that cannot be parsed or executed, with Go's words (<c>template: NAME:LINE: ...</c>).</summary>
public sealed class GoTemplateException(string message) : Exception(message);

// The parse tree of Go's text/template/parse, reduced to what a template over JSON data can hold.
internal abstract record Node(int Line);

internal sealed record TextNode(int Line, string Text) : Node(Line);

/// <summary><c>{{ pipeline }}</c>: printed unless it declares or assigns a variable.</summary>
internal sealed record ActionNode(int Line, PipeNode Pipe) : Node(Line);

internal sealed record ListNode(int Line, List<Node> Nodes) : Node(Line);

/// <summary><c>if</c>, <c>with</c> and <c>range</c>, each with an optional <c>else</c> list.</summary>
internal sealed record BranchNode(int Line, string Keyword, PipeNode Pipe, ListNode List, ListNode? Else) : Node(Line);

internal sealed record BreakNode(int Line) : Node(Line);

/// <summary><c>{{template "name" pipeline}}</c>: a defined template run with the pipeline's value as dot.</summary>
internal sealed record TemplateNode(int Line, string Name, PipeNode? Pipe) : Node(Line);

internal sealed record ContinueNode(int Line) : Node(Line);

/// <summary>Commands joined by <c>|</c>, optionally declaring (<c>:=</c>) or assigning (<c>=</c>) variables.</summary>
internal sealed record PipeNode(int Line, List<string> Declared, bool IsAssign, List<CommandNode> Commands) : Node(Line)
{
    public override string ToString() =>
        (Declared.Count > 0 ? string.Join(", ", Declared) + (IsAssign ? " = " : " := ") : "") + string.Join(" | ", Commands);
}

internal sealed record CommandNode(int Line, List<Node> Args) : Node(Line)
{
    public override string ToString() => string.Join(" ", Args.Select(arg => arg is PipeNode pipe ? $"({pipe})" : arg.ToString()));
}

internal sealed record DotNode(int Line) : Node(Line)
{
    public override string ToString() => ".";
}

internal sealed record NilNode(int Line) : Node(Line)
{
    public override string ToString() => "nil";
}

/// <summary><c>.a.b</c>.</summary>
internal sealed record FieldNode(int Line, string[] Fields) : Node(Line)
{
    public override string ToString() => "." + string.Join(".", Fields);
}

/// <summary><c>$x.a.b</c>: the variable, then its fields.</summary>
internal sealed record VariableNode(int Line, string Name, string[] Fields) : Node(Line)
{
    public override string ToString() => Name + string.Concat(Fields.Select(field => "." + field));
}

/// <summary><c>(pipeline).a.b</c>.</summary>
internal sealed record ChainNode(int Line, Node Target, string[] Fields) : Node(Line)
{
    public override string ToString() => (Target is PipeNode ? $"({Target})" : Target.ToString()) + string.Concat(Fields.Select(field => "." + field));
}

internal sealed record IdentifierNode(int Line, string Name) : Node(Line)
{
    public override string ToString() => Name;
}

internal sealed record ConstantNode(int Line, object Value, string Text) : Node(Line)
{
    public override string ToString() => Text;
}

/// <summary>
/// Go's text/template parser (text/template/parse: lex.go and parse.go), for the language KWOK's stages are written
/// in: text and actions, trim markers, comments, pipelines, variables, parenthesized pipelines, fields, constants,
/// <c>if</c>/<c>else if</c>/<c>with</c>/<c>else with</c>/<c>range</c> with <c>break</c> and <c>continue</c>, and
/// <c>define</c>, <c>template</c> and <c>block</c> (a defined template has variables of its own, <c>$</c> its dot). As
/// Go's parser does, it refuses a function that is not defined; unlike Go's, it also refuses a template that is called
/// and never defined, so both fail when the stage is loaded rather than when it runs.
/// </summary>
internal sealed class GoTemplateParser
{
    private readonly string _name;
    private readonly string _text;
    private readonly Func<string, bool> _isFunction;
    private readonly List<Token> _tokens = [];
    private int _next;
    private List<List<string>> _scopes = [["$"]];
    private int _rangeDepth;
    private readonly Dictionary<string, ListNode> _defined = new(StringComparer.Ordinal);
    private readonly List<TemplateNode> _calls = [];

    private enum Kind { Text, LeftDelim, RightDelim, Field, Variable, Identifier, String, Char, Number, Bool, Nil, Dot, Pipe, LeftParen, RightParen, Declare, Assign, Comma, Keyword, End }

    private readonly record struct Token(Kind Kind, string Text, int Line, bool SpaceBefore);

    private static readonly HashSet<string> Keywords = ["if", "else", "end", "range", "with", "break", "continue", "define", "template", "block"];

    private GoTemplateParser(string name, string text, Func<string, bool> isFunction)
    {
        _name = name;
        _text = text;
        _isFunction = isFunction;
    }

    /// <summary>The template and the templates it defines.</summary>
    public static (ListNode Root, IReadOnlyDictionary<string, ListNode> Defined) Parse(string name, string text, Func<string, bool> isFunction)
    {
        var parser = new GoTemplateParser(name, text, isFunction);
        parser.Lex();
        var (list, end) = parser.ParseList();
        if (end is not null)
        {
            throw parser.Error(end.Value.Line, $"unexpected {{{{{end.Value.Text}}}}}");
        }

        if (parser._calls.FirstOrDefault(call => !parser._defined.ContainsKey(call.Name)) is { } missing)
        {
            throw parser.Error(missing.Line, $"no such template \"{missing.Name}\"");
        }

        return (list, parser._defined);
    }

    private GoTemplateException Error(int line, string message) => new($"template: {_name}:{line}: {message}");

    // ---- lexing (lex.go) ----

    private void Lex()
    {
        var position = 0;
        var line = 1;
        while (position < _text.Length)
        {
            var open = _text.IndexOf("{{", position, StringComparison.Ordinal);
            var textEnd = open < 0 ? _text.Length : open;
            var trimLeft = open >= 0 && IsTrimMarker(open + 2, before: false);
            var text = _text[position..textEnd];
            if (trimLeft)
            {
                text = text.TrimEnd(' ', '\t', '\r', '\n');
            }

            if (text.Length > 0)
            {
                _tokens.Add(new Token(Kind.Text, text, line, false));
            }

            line += Count(_text, position, textEnd);
            if (open < 0)
            {
                break;
            }

            position = LexAction(open + (trimLeft ? 4 : 2), ref line, out var trimRight);
            if (trimRight)
            {
                while (position < _text.Length && _text[position] is ' ' or '\t' or '\r' or '\n')
                {
                    line += _text[position] == '\n' ? 1 : 0;
                    position++;
                }
            }
        }

        _tokens.Add(new Token(Kind.End, "", line, false));
    }

    private static int Count(string text, int from, int to)
    {
        var lines = 0;
        for (var i = from; i < to; i++)
        {
            lines += text[i] == '\n' ? 1 : 0;
        }

        return lines;
    }

    /// <summary>A trim marker is a dash beside the delimiter with a space on its other side (<c>{{- </c>, <c> -}}</c>).</summary>
    private bool IsTrimMarker(int at, bool before) =>
        before
            ? at >= 1 && _text[at] == '-' && IsSpace(_text[at - 1])
            : at + 1 < _text.Length && _text[at] == '-' && IsSpace(_text[at + 1]);

    private static bool IsSpace(char c) => c is ' ' or '\t' or '\r' or '\n';

    /// <summary>Lexes from just inside <c>{{</c> to just past <c>}}</c>; returns where the text goes on.</summary>
    private int LexAction(int position, ref int line, out bool trimRight)
    {
        var start = line;
        // A comment fills the whole action: {{/* ... */}}, trim markers allowed around it.
        var afterSpace = position;
        while (afterSpace < _text.Length && IsSpace(_text[afterSpace]))
        {
            afterSpace++;
        }

        if (string.CompareOrdinal(_text, afterSpace, "/*", 0, 2) == 0)
        {
            var close = _text.IndexOf("*/", afterSpace + 2, StringComparison.Ordinal);
            if (close < 0)
            {
                throw Error(start, "unclosed comment");
            }

            line += Count(_text, position, close);
            var after = close + 2;
            trimRight = after + 3 <= _text.Length && _text[after] == ' ' && _text[after + 1] == '-' && string.CompareOrdinal(_text, after + 2, "}}", 0, 2) == 0;
            var end = trimRight ? after + 2 : after;
            if (string.CompareOrdinal(_text, end, "}}", 0, 2) != 0)
            {
                throw Error(line, "comment ends before closing delimiter");
            }

            return end + 2;
        }

        _tokens.Add(new Token(Kind.LeftDelim, "{{", start, false));
        var space = true;
        while (true)
        {
            if (position >= _text.Length)
            {
                throw Error(line, "unclosed action");
            }

            var c = _text[position];
            if (c == '-' && position + 3 <= _text.Length && string.CompareOrdinal(_text, position + 1, "}}", 0, 2) == 0 && space)
            {
                trimRight = true;
                _tokens.Add(new Token(Kind.RightDelim, "}}", line, true));
                return position + 3;
            }

            if (c == '}' && position + 1 < _text.Length && _text[position + 1] == '}')
            {
                trimRight = false;
                _tokens.Add(new Token(Kind.RightDelim, "}}", line, space));
                return position + 2;
            }

            if (IsSpace(c))
            {
                if (c == '\n')
                {
                    line++;
                }

                position++;
                space = true;
                continue;
            }

            var begin = position;
            Kind kind;
            if (c == '|') { kind = Kind.Pipe; position++; }
            else if (c == '(') { kind = Kind.LeftParen; position++; }
            else if (c == ')') { kind = Kind.RightParen; position++; }
            else if (c == ',') { kind = Kind.Comma; position++; }
            else if (c == ':' && position + 1 < _text.Length && _text[position + 1] == '=') { kind = Kind.Declare; position += 2; }
            else if (c == '=') { kind = Kind.Assign; position++; }
            else if (c == '"' || c == '`') { kind = Kind.String; position = EndOfQuoted(position, c, line); }
            else if (c == '\'') { kind = Kind.Char; position = EndOfQuoted(position, c, line); }
            else if (c == '$') { kind = Kind.Variable; position = EndOfWord(position + 1); }
            else if (c == '.')
            {
                if (position + 1 < _text.Length && char.IsAsciiDigit(_text[position + 1]))
                {
                    kind = Kind.Number;
                    position = EndOfNumber(position);
                }
                else
                {
                    position = EndOfWord(position + 1);
                    kind = position == begin + 1 ? Kind.Dot : Kind.Field;
                }
            }
            else if (char.IsAsciiDigit(c) || ((c == '-' || c == '+') && position + 1 < _text.Length && (char.IsAsciiDigit(_text[position + 1]) || _text[position + 1] == '.')))
            {
                kind = Kind.Number;
                position = EndOfNumber(position);
            }
            else if (char.IsLetter(c) || c == '_')
            {
                position = EndOfWord(position);
                var word = _text[begin..position];
                kind = word is "true" or "false" ? Kind.Bool : word == "nil" ? Kind.Nil : Keywords.Contains(word) ? Kind.Keyword : Kind.Identifier;
            }
            else
            {
                throw Error(line, $"unexpected \"{c}\" in command");
            }

            _tokens.Add(new Token(kind, _text[begin..position], line, space));
            space = false;
        }
    }

    private int EndOfWord(int position)
    {
        while (position < _text.Length && (char.IsLetterOrDigit(_text[position]) || _text[position] == '_'))
        {
            position++;
        }

        return position;
    }

    private int EndOfNumber(int position)
    {
        position++;
        while (position < _text.Length && (char.IsAsciiLetterOrDigit(_text[position]) || _text[position] is '.' or '_' ||
            (_text[position] is '+' or '-' && _text[position - 1] is 'e' or 'E' or 'p' or 'P')))
        {
            position++;
        }

        return position;
    }

    private int EndOfQuoted(int position, char quote, int line)
    {
        for (var i = position + 1; i < _text.Length; i++)
        {
            if (_text[i] == '\\' && quote != '`')
            {
                i++;
            }
            else if (_text[i] == '\n' && quote != '`')
            {
                break;
            }
            else if (_text[i] == quote)
            {
                return i + 1;
            }
        }

        throw Error(line, quote == '\'' ? "unterminated character constant" : quote == '`' ? "unterminated raw quoted string" : "unterminated quoted string");
    }

    // ---- parsing (parse.go) ----

    private Token Peek => _tokens[_next];

    private Token Take() => _tokens[_next++];

    /// <summary>Nodes up to the end of input or an <c>{{end}}</c>/<c>{{else}}</c>, which is returned (its keyword token).</summary>
    private (ListNode List, Token? Stop) ParseList()
    {
        var list = new ListNode(Peek.Line, []);
        while (Peek.Kind != Kind.End)
        {
            var token = Take();
            if (token.Kind == Kind.Text)
            {
                list.Nodes.Add(new TextNode(token.Line, token.Text));
                continue;
            }

            // A left delimiter: an action.
            if (Peek.Kind == Kind.Keyword)
            {
                var keyword = Take();
                switch (keyword.Text)
                {
                    case "end" or "else":
                        return (list, keyword);
                    case "if" or "with" or "range":
                        list.Nodes.Add(ParseBranch(keyword));
                        continue;
                    case "break" or "continue":
                        if (_rangeDepth == 0)
                        {
                            throw Error(keyword.Line, $"{{{{{keyword.Text}}}}} outside {{{{range}}}}");
                        }

                        Expect(Kind.RightDelim, keyword.Text);
                        list.Nodes.Add(keyword.Text == "break" ? new BreakNode(keyword.Line) : new ContinueNode(keyword.Line));
                        continue;
                    case "define":
                        Define(ExpectName(keyword), keyword);
                        continue;
                    case "template":
                        var name = ExpectName(keyword);
                        var given = Peek.Kind == Kind.RightDelim ? null : ParsePipeline("template clause", Kind.RightDelim, allowDeclaration: false);
                        if (given is null)
                        {
                            Take();
                        }

                        list.Nodes.Add(Call(new TemplateNode(keyword.Line, name, given)));
                        continue;
                    case "block":
                        var block = ExpectName(keyword);
                        var argument = ParsePipeline("block clause", Kind.RightDelim, allowDeclaration: false);
                        Define(block, keyword, afterPipeline: true);
                        list.Nodes.Add(Call(new TemplateNode(keyword.Line, block, argument)));
                        continue;
                    default:
                        throw Error(keyword.Line, $"unexpected {{{{{keyword.Text}}}}}");
                }
            }

            var pipe = ParsePipeline("command", Kind.RightDelim, allowDeclaration: true);
            list.Nodes.Add(new ActionNode(token.Line, pipe));
        }

        return (list, null);
    }

    /// <summary>The quoted name after <c>define</c>, <c>template</c> or <c>block</c>.</summary>
    private string ExpectName(Token keyword)
    {
        var token = Take();
        return token.Kind == Kind.String ? Unquote(token) : throw Error(token.Line, $"unexpected {Describe(token)} in {keyword.Text} clause");
    }

    private TemplateNode Call(TemplateNode call)
    {
        _calls.Add(call);
        return call;
    }

    /// <summary>A defined template's body, up to its <c>{{end}}</c>, with variables of its own.</summary>
    private void Define(string name, Token keyword, bool afterPipeline = false)
    {
        if (!afterPipeline)
        {
            Expect(Kind.RightDelim, "define clause");
        }

        var (scopes, rangeDepth) = (_scopes, _rangeDepth);
        (_scopes, _rangeDepth) = ([["$"]], 0);
        var (body, stop) = ParseList();
        (_scopes, _rangeDepth) = (scopes, rangeDepth);
        if (stop is not { Text: "end" })
        {
            throw Error(stop?.Line ?? Peek.Line, stop is null ? "unexpected EOF" : $"unexpected {{{{{stop.Value.Text}}}}} in {keyword.Text}");
        }

        Expect(Kind.RightDelim, "end");
        if (!_defined.TryAdd(name, body))
        {
            throw Error(keyword.Line, $"template: multiple definition of template \"{name}\"");
        }
    }

    private BranchNode ParseBranch(Token keyword)
    {
        _scopes.Add([]);
        var isRange = keyword.Text == "range";
        var pipe = ParsePipeline(keyword.Text, Kind.RightDelim, allowDeclaration: true, isRange);
        _rangeDepth += isRange ? 1 : 0;
        var (list, stop) = ParseList();
        _rangeDepth -= isRange ? 1 : 0;
        ListNode? elseList = null;
        if (stop is null)
        {
            throw Error(Peek.Line, $"unexpected EOF");
        }

        if (stop.Value.Text == "else")
        {
            // {{else if ...}} and {{else with ...}} nest a branch of the same kind inside the else.
            if (!isRange && Peek.Kind == Kind.Keyword && Peek.Text == keyword.Text)
            {
                var nested = Take();
                elseList = new ListNode(nested.Line, [ParseBranch(nested)]);
                _scopes.RemoveAt(_scopes.Count - 1);
                return new BranchNode(keyword.Line, keyword.Text, pipe, list, elseList);
            }

            Expect(Kind.RightDelim, "else");
            (elseList, stop) = ParseList();
            if (stop is null || stop.Value.Text != "end")
            {
                throw Error(stop?.Line ?? Peek.Line, stop is null ? "unexpected EOF" : "expected end; found {{else}}");
            }
        }

        Expect(Kind.RightDelim, "end");
        _scopes.RemoveAt(_scopes.Count - 1);
        return new BranchNode(keyword.Line, keyword.Text, pipe, list, elseList);
    }

    private void Expect(Kind kind, string context)
    {
        var token = Take();
        if (token.Kind != kind)
        {
            throw Error(token.Line, $"unexpected {Describe(token)} in {context}");
        }
    }

    private static string Describe(Token token) => token.Kind switch
    {
        Kind.RightDelim => "\"}}\"",
        Kind.End => "EOF",
        Kind.RightParen => "\")\"",
        _ => $"<{token.Text}>",
    };

    private PipeNode ParsePipeline(string context, Kind end, bool allowDeclaration, bool isRange = false)
    {
        var line = Peek.Line;
        var declared = new List<string>();
        var isAssign = false;
        if (allowDeclaration && Peek.Kind == Kind.Variable)
        {
            // $x := ..., $x = ..., and in range $i, $e := ...
            var save = _next;
            var first = Take();
            if (Peek.Kind is Kind.Declare or Kind.Assign || (isRange && Peek.Kind == Kind.Comma))
            {
                declared.Add(first.Text);
                if (Peek.Kind == Kind.Comma)
                {
                    Take();
                    var second = Take();
                    if (second.Kind != Kind.Variable)
                    {
                        throw Error(second.Line, $"range can only initialize variables");
                    }

                    declared.Add(second.Text);
                    if (Peek.Kind != Kind.Declare && Peek.Kind != Kind.Assign)
                    {
                        throw Error(Peek.Line, "range can only initialize variables");
                    }
                }

                isAssign = Take().Kind == Kind.Assign;
                if (isAssign)
                {
                    foreach (var name in declared)
                    {
                        CheckDeclared(name, first.Line);
                    }
                }
                else
                {
                    _scopes[^1].AddRange(declared);
                }
            }
            else
            {
                _next = save;
            }
        }

        var commands = new List<CommandNode>();
        while (true)
        {
            commands.Add(ParseCommand(end));
            var token = Take();
            if (token.Kind == end)
            {
                break;
            }

            if (token.Kind != Kind.Pipe)
            {
                throw Error(token.Line, $"unexpected {Describe(token)} in {context}");
            }
        }

        return new PipeNode(line, declared, isAssign, commands);
    }

    private CommandNode ParseCommand(Kind end)
    {
        var command = new CommandNode(Peek.Line, []);
        while (Peek.Kind is not (Kind.Pipe or Kind.End) && Peek.Kind != end)
        {
            if (command.Args.Count > 0 && !Peek.SpaceBefore)
            {
                throw Error(Peek.Line, $"missing space?");
            }

            command.Args.Add(ParseOperand());
        }

        if (command.Args.Count == 0)
        {
            throw Error(Peek.Line, "missing value for command");
        }

        return command;
    }

    private Node ParseOperand()
    {
        var token = Take();
        Node term = token.Kind switch
        {
            Kind.Dot => new DotNode(token.Line),
            Kind.Nil => new NilNode(token.Line),
            Kind.Bool => new ConstantNode(token.Line, token.Text == "true", token.Text),
            Kind.Number => new ConstantNode(token.Line, ParseNumber(token), token.Text),
            Kind.String => new ConstantNode(token.Line, Unquote(token), token.Text),
            Kind.Char => new ConstantNode(token.Line, (long)char.ConvertToUtf32(Unquote(token), 0), token.Text),
            Kind.Field => new FieldNode(token.Line, [token.Text[1..]]),
            Kind.Variable => Variable(token),
            Kind.Identifier => _isFunction(token.Text) ? new IdentifierNode(token.Line, token.Text) : throw Error(token.Line, $"function \"{token.Text}\" not defined"),
            Kind.LeftParen => ParsePipeline("parenthesized pipeline", Kind.RightParen, allowDeclaration: false),
            _ => throw Error(token.Line, $"unexpected {Describe(token)} in operand"),
        };

        // Fields written straight after a term select from its value: .a.b, $x.a, (pipeline).a.
        var fields = new List<string>();
        while (Peek.Kind == Kind.Field && !Peek.SpaceBefore)
        {
            fields.Add(Take().Text[1..]);
        }

        return (term, fields.Count) switch
        {
            (_, 0) => term,
            (FieldNode field, _) => new FieldNode(field.Line, [.. field.Fields, .. fields]),
            (VariableNode variable, _) => new VariableNode(variable.Line, variable.Name, [.. variable.Fields, .. fields]),
            (DotNode or NilNode or ConstantNode, _) => throw Error(token.Line, $"unexpected . after term \"{term}\""),
            _ => new ChainNode(token.Line, term, [.. fields]),
        };
    }

    private VariableNode Variable(Token token)
    {
        CheckDeclared(token.Text, token.Line);
        return new VariableNode(token.Line, token.Text, []);
    }

    private void CheckDeclared(string name, int line)
    {
        if (!_scopes.Any(scope => scope.Contains(name)))
        {
            throw Error(line, $"undefined variable \"{name}\"");
        }
    }

    /// <summary>A number constant as Go's parser reads it: an integer (decimal, 0x, 0o, 0b, with _) or a float.</summary>
    private object ParseNumber(Token token)
    {
        var text = token.Text.Replace("_", "");
        var negative = text.StartsWith('-');
        var digits = text.TrimStart('+', '-');
        try
        {
            long? integer = digits.Length > 1 && digits[0] == '0' && char.IsAsciiLetter(digits[1])
                ? char.ToLowerInvariant(digits[1]) switch
                {
                    'x' when !digits.Contains('p', StringComparison.OrdinalIgnoreCase) => System.Convert.ToInt64(digits[2..], 16),
                    'o' => System.Convert.ToInt64(digits[2..], 8),
                    'b' => System.Convert.ToInt64(digits[2..], 2),
                    _ => null,
                }
                : digits.All(char.IsAsciiDigit) ? (digits.Length > 1 && digits[0] == '0' ? System.Convert.ToInt64(digits, 8) : long.Parse(digits, CultureInfo.InvariantCulture))
                : null;
            if (integer is { } value)
            {
                return negative ? -value : value;
            }

            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real))
            {
                return real;
            }
        }
        catch (Exception error) when (error is FormatException or OverflowException or ArgumentException)
        {
        }

        throw Error(token.Line, $"bad number syntax: \"{token.Text}\"");
    }

    /// <summary>strconv.Unquote: Go's escapes in "..." and '...', none in `...`.</summary>
    private string Unquote(Token token)
    {
        var text = token.Text;
        if (text[0] == '`')
        {
            return text[1..^1].Replace("\r", "");
        }

        var result = new StringBuilder();
        for (var i = 1; i < text.Length - 1; i++)
        {
            var c = text[i];
            if (c != '\\')
            {
                result.Append(c);
                continue;
            }

            c = text[++i];
            switch (c)
            {
                case 'a': result.Append('\a'); break;
                case 'b': result.Append('\b'); break;
                case 'f': result.Append('\f'); break;
                case 'n': result.Append('\n'); break;
                case 'r': result.Append('\r'); break;
                case 't': result.Append('\t'); break;
                case 'v': result.Append('\v'); break;
                case '\\' or '"' or '\'': result.Append(c); break;
                case 'x': result.Append((char)System.Convert.ToInt32(text.Substring(i + 1, 2), 16)); i += 2; break;
                case 'u': result.Append(char.ConvertFromUtf32(System.Convert.ToInt32(text.Substring(i + 1, 4), 16))); i += 4; break;
                case 'U': result.Append(char.ConvertFromUtf32(System.Convert.ToInt32(text.Substring(i + 1, 8), 16))); i += 8; break;
                case >= '0' and <= '7': result.Append((char)System.Convert.ToInt32(text.Substring(i, 3), 8)); i += 2; break;
                default: throw Error(token.Line, $"invalid syntax: {text}");
            }
        }

        return result.ToString();
    }
}
