using System.Text;
using PodStatus.Api.Serialization;

namespace PodStatus.Api.Tests.Storage;

/// <summary>
/// The fast reader of plain YAML gives exactly what the general parser gives, for every document it takes, and
/// leaves the rest to it.
/// </summary>
public sealed class BlockYamlTests
{
    public static TheoryData<string> Documents() =>
    [
        "a: 1\nb: two\nc: \"3\"\nd: '4'\ne:\nf: null\ng: true\nh: False\ni: 1.5\nj: -2e3\n",
        "conditions:\n- type: Ready\n  status: \"True\"\n- type: Initialized\n  status: 'True'\nphase: Running\n",
        "\n\n# a comment\nkey: value # trailing\nlist:\n\n  - 1\n  - two\n\n  - \"three # not a comment\"\nempty: {}\nnone: []\n",
        "---\nnested:\n  deeper:\n    deepest: [x]\n",
        "nested:\n  deeper:\n    deepest: x\n  back: y\ntop: z\n",
        "- a\n- b: 1\n  c: 2\n-\n  d: 3\n- - nested\n",
        "quoted: \"tab\\tnew\\nline \\u00e9 \\x41 \\\\ \\\" \\/ \\e\"\nsingle: 'it''s'\n\"quoted key\": 1\n",
        "url: http://example.com/a:b\ntime: 2026-12-06T08:00:00Z\ncolon: a:b\nhash: a#b\n",
        "multi: line\n  continued\n",
        "anchor: &a 1\nalias: *a\n",
        "tagged: !!str 1\nblock: |\n  text\n",
        "dup: 1\ndup: 2\n",
        "flow: {a: 1}\nseq: [1, 2]\n",
        "a: b: c\n",
        "just a scalar\n",
        "",
        "? complex\n: key\n",
        "one: 1\n---\ntwo: 2\n",
        "x:\n- 1\n- 2\ny: 3\n",
        "containerStatuses:\n\n- image: \"nginx\"\n  state:\n    running:\n      startedAt: \"2026-12-06T08:00:00Z\"\n\ninitContainerStatuses:\n\nphase: Running\n",
        "\"a\": 1\na: 2\n",
        "single: 'back\\slash'\nsmile: \"\\u263A \\U0001F600\"\nraw: \"é\"\n",
        "- name: a\n  value: 'b''c'\n- name: \"d\"\n  'value': e\n",
    ];

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(7)]
    [InlineData(18)]
    [InlineData(19)]
    [InlineData(21)]
    [InlineData(22)]
    public void PlainDocuments_TakeTheFastPath(int index)
    {
        var yaml = Encoding.UTF8.GetBytes(Documents().ElementAt(index).Data);

        Assert.NotNull(BlockYaml.TryConvert(yaml, (writer, value, quoted) => writer.WriteStringValue(value)));
    }

    [Theory]
    [InlineData("multi: line\n  continued\n")]
    [InlineData("anchor: &a 1\nalias: *a\n")]
    [InlineData("block: |\n  text\n")]
    [InlineData("dup: 1\ndup: 2\n")]
    [InlineData("\"dup\": 1\ndup: 2\n")]
    [InlineData("flow: {a: 1}\n")]
    [InlineData("one: 1\n---\ntwo: 2\n")]
    [InlineData("a:\tb\n")]
    public void WhatItCannotBeSureOf_IsLeftToTheGeneralParser(string yaml) =>
        Assert.Null(BlockYaml.TryConvert(Encoding.UTF8.GetBytes(yaml), (writer, value, quoted) => writer.WriteStringValue(value)));

    [Theory]
    [MemberData(nameof(Documents))]
    public void EveryDocument_ReadsAsTheGeneralParserReadsIt(string yaml)
    {
        var bytes = Encoding.UTF8.GetBytes(yaml);
        string Read(Func<byte[], byte[]> convert)
        {
            try
            {
                return Encoding.UTF8.GetString(convert(bytes));
            }
            catch (YamlDotNet.Core.YamlException error)
            {
                return "error: " + error.Message;
            }
        }

        var general = Read(b => YamlToJson.ConvertGeneral(b));
        Assert.Equal(general, Read(b => YamlToJson.Convert(b)));
        Assert.Equal(general, Read(_ => YamlToJson.Convert(yaml))); // text that never was bytes: a rendered template
    }
}
