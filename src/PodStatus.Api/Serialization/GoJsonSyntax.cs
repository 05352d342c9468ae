namespace PodStatus.Api.Serialization;

/// <summary>
/// Go's JSON scanner (<c>encoding/json/scanner.go</c>, which <c>json.Unmarshal</c> runs over the whole input before
/// decoding), reduced to what it reports: the first syntax error, in Go's words
/// (<c>invalid character '}' looking for beginning of value</c>, <c>unexpected end of JSON input</c>), so a
/// malformed body gets kube-apiserver's message rather than System.Text.Json's. Only failed decodes pay for it.
/// </summary>
public static class GoJsonSyntax
{
    /// <summary>Go's limit; callers whose decoder nests less deeply pass their own, and get Go's message at it.</summary>
    public const int MaxNestingDepth = 10_000;

    private enum State
    {
        BeginValue, BeginValueOrEmpty, BeginStringOrEmpty, BeginString, EndValue, EndTop,
        InString, InStringEsc, InStringEscU, InStringEscU1, InStringEscU12, InStringEscU123,
        Neg, One, Zero, Dot, Dot0, E, ESign, E0,
        T, Tr, Tru, F, Fa, Fal, Fals, N, Nu, Nul,
    }

    private enum Parse
    {
        ObjectKey,
        ObjectValue,
        ArrayValue,
    }

    /// <summary>Go's <c>SyntaxError</c> message for <paramref name="json"/>, or null when it is valid JSON.</summary>
    public static string? FindError(ReadOnlySpan<byte> json, int maxDepth = MaxNestingDepth)
    {
        var scanner = new Scanner(maxDepth);
        foreach (var c in json)
        {
            if (scanner.Step(c) is { } error)
            {
                return error;
            }
        }

        return scanner.End();
    }

    private sealed class Scanner(int maxDepth)
    {
        private readonly List<Parse> _parseState = [];
        private State _step = State.BeginValue;
        private bool _endTop;
        private string? _afterTop;

        /// <summary>Go's <c>eof</c>: a value still open at the end is <c>unexpected end of JSON input</c>.</summary>
        public string? End()
        {
            if (_afterTop is not null || _endTop)
            {
                return _afterTop;
            }

            if (Step((byte)' ') is { } error)
            {
                return error;
            }

            return _endTop ? null : "unexpected end of JSON input";
        }

        public string? Step(byte c)
        {
            if (_afterTop is not null)
            {
                return _afterTop;
            }

            switch (_step)
            {
                case State.BeginValueOrEmpty:
                    return IsSpace(c) ? null : c == ']' ? EndValue(c) : BeginValue(c);
                case State.BeginValue:
                    return BeginValue(c);
                case State.BeginStringOrEmpty:
                    if (IsSpace(c))
                    {
                        return null;
                    }

                    if (c == '}')
                    {
                        _parseState[^1] = Parse.ObjectValue;
                        return EndValue(c);
                    }

                    return BeginString(c);
                case State.BeginString:
                    return BeginString(c);
                case State.EndValue:
                    return EndValue(c);
                case State.EndTop:
                    return EndTop(c);
                case State.InString:
                    return c switch
                    {
                        (byte)'"' => Go(State.EndValue),
                        (byte)'\\' => Go(State.InStringEsc),
                        < 0x20 => Error(c, "in string literal"),
                        _ => null,
                    };
                case State.InStringEsc:
                    return c switch
                    {
                        (byte)'b' or (byte)'f' or (byte)'n' or (byte)'r' or (byte)'t' or (byte)'\\' or (byte)'/' or (byte)'"' => Go(State.InString),
                        (byte)'u' => Go(State.InStringEscU),
                        _ => Error(c, "in string escape code"),
                    };
                case State.InStringEscU or State.InStringEscU1 or State.InStringEscU12 or State.InStringEscU123:
                    return char.IsAsciiHexDigit((char)c)
                        ? Go(_step == State.InStringEscU123 ? State.InString : _step + 1)
                        : Error(c, "in \\u hexadecimal character escape");
                case State.Neg:
                    return c == '0' ? Go(State.Zero) : c is >= (byte)'1' and <= (byte)'9' ? Go(State.One) : Error(c, "in numeric literal");
                case State.One:
                    return char.IsAsciiDigit((char)c) ? null : Zero(c);
                case State.Zero:
                    return Zero(c);
                case State.Dot:
                    return char.IsAsciiDigit((char)c) ? Go(State.Dot0) : Error(c, "after decimal point in numeric literal");
                case State.Dot0:
                    return char.IsAsciiDigit((char)c) ? null : c is (byte)'e' or (byte)'E' ? Go(State.E) : EndValue(c);
                case State.E:
                    return c is (byte)'+' or (byte)'-' ? Go(State.ESign) : ESign(c);
                case State.ESign:
                    return ESign(c);
                case State.E0:
                    return char.IsAsciiDigit((char)c) ? null : EndValue(c);
                default:
                    return Literal(c);
            }
        }

        private string? BeginValue(byte c)
        {
            if (IsSpace(c))
            {
                return null;
            }

            switch (c)
            {
                case (byte)'{':
                    _step = State.BeginStringOrEmpty;
                    return Push(c, Parse.ObjectKey);
                case (byte)'[':
                    _step = State.BeginValueOrEmpty;
                    return Push(c, Parse.ArrayValue);
                case (byte)'"':
                    return Go(State.InString);
                case (byte)'-':
                    return Go(State.Neg);
                case (byte)'0':
                    return Go(State.Zero);
                case (byte)'t':
                    return Go(State.T);
                case (byte)'f':
                    return Go(State.F);
                case (byte)'n':
                    return Go(State.N);
                case >= (byte)'1' and <= (byte)'9':
                    return Go(State.One);
                default:
                    return Error(c, "looking for beginning of value");
            }
        }

        private string? BeginString(byte c) =>
            IsSpace(c) ? null : c == '"' ? Go(State.InString) : Error(c, "looking for beginning of object key string");

        private string? EndValue(byte c)
        {
            if (_parseState.Count == 0)
            {
                _step = State.EndTop;
                _endTop = true;
                return EndTop(c);
            }

            if (IsSpace(c))
            {
                return Go(State.EndValue);
            }

            switch (_parseState[^1])
            {
                case Parse.ObjectKey:
                    if (c == ':')
                    {
                        _parseState[^1] = Parse.ObjectValue;
                        return Go(State.BeginValue);
                    }

                    return Error(c, "after object key");
                case Parse.ObjectValue:
                    if (c == ',')
                    {
                        _parseState[^1] = Parse.ObjectKey;
                        return Go(State.BeginString);
                    }

                    return c == '}' ? Pop() : Error(c, "after object key:value pair");
                default:
                    return c == ',' ? Go(State.BeginValue) : c == ']' ? Pop() : Error(c, "after array element");
            }
        }

        /// <summary>Go complains about a byte after the top-level value on the next step, or at the end.</summary>
        private string? EndTop(byte c)
        {
            if (!IsSpace(c))
            {
                _afterTop = Error(c, "after top-level value");
            }

            return null;
        }

        private string? Zero(byte c) => c switch
        {
            (byte)'.' => Go(State.Dot),
            (byte)'e' or (byte)'E' => Go(State.E),
            _ => EndValue(c),
        };

        private string? ESign(byte c) => char.IsAsciiDigit((char)c) ? Go(State.E0) : Error(c, "in exponent of numeric literal");

        /// <summary>The states inside <c>true</c>, <c>false</c> and <c>null</c>.</summary>
        private string? Literal(byte c)
        {
            var (expected, next, literal) = _step switch
            {
                State.T => ('r', State.Tr, "true"),
                State.Tr => ('u', State.Tru, "true"),
                State.Tru => ('e', State.EndValue, "true"),
                State.F => ('a', State.Fa, "false"),
                State.Fa => ('l', State.Fal, "false"),
                State.Fal => ('s', State.Fals, "false"),
                State.Fals => ('e', State.EndValue, "false"),
                State.N => ('u', State.Nu, "null"),
                State.Nu => ('l', State.Nul, "null"),
                _ => ('l', State.EndValue, "null"),
            };
            return c == expected ? Go(next) : Error(c, $"in literal {literal} (expecting '{expected}')");
        }

        private string? Push(byte c, Parse state)
        {
            _parseState.Add(state);
            return _parseState.Count <= maxDepth ? null : Error(c, "exceeded max depth");
        }

        private string? Pop()
        {
            _parseState.RemoveAt(_parseState.Count - 1);
            if (_parseState.Count == 0)
            {
                _step = State.EndTop;
                _endTop = true;
            }
            else
            {
                _step = State.EndValue;
            }

            return null;
        }

        private string? Go(State next)
        {
            _step = next;
            return null;
        }

        /// <summary>Go's <c>scanner.error</c>: the byte, and what the scanner was looking for.</summary>
        private static string Error(byte c, string context) => $"invalid character {QuoteChar(c)} {context}";

        /// <summary>Go's <c>quoteChar</c>: the byte as the rune of that value, quoted with single quotes.</summary>
        private static string QuoteChar(byte c) => c switch
        {
            (byte)'\'' => @"'\''",
            (byte)'"' => "'\"'",
            _ => $"'{GoStrconv.Quote(((char)c).ToString())[1..^1]}'",
        };

        private static bool IsSpace(byte c) => c is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n';
    }
}
