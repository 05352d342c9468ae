using Microsoft.VisualBasic.FileIO;

namespace PodStatus.Api.Security;

/// <summary>
/// kube-apiserver's static token file (<c>--token-auth-file</c>): CSV lines of <c>token,user,uid</c> and optionally
/// <c>"group1,group2"</c>, read as upstream reads it (apiserver <c>pkg/authentication/token/tokenfile</c>): at least
/// three columns, an empty token is skipped, a later line for the same token wins.
/// </summary>
public static class TokenFile
{
    public static IReadOnlyDictionary<string, KubeUser> Load(string path)
    {
        var tokens = new Dictionary<string, KubeUser>(StringComparer.Ordinal);
        using var csv = new TextFieldParser(path) { TextFieldType = FieldType.Delimited, HasFieldsEnclosedInQuotes = true, TrimWhiteSpace = false };
        csv.SetDelimiters(",");
        while (!csv.EndOfData)
        {
            string[] record;
            try
            {
                record = csv.ReadFields() ?? [];
            }
            catch (MalformedLineException error)
            {
                throw new InvalidDataException($"token file '{path}' line {error.LineNumber} is not valid CSV");
            }

            if (record.Length < 3)
            {
                throw new InvalidDataException($"token file '{path}' must have at least 3 columns (token, user name, user uid), found {record.Length}");
            }

            if (record[0].Length > 0)
            {
                tokens[record[0]] = new KubeUser(record[1], record[2], record.Length >= 4 ? record[3].Split(',') : []);
            }
        }

        return tokens;
    }
}
