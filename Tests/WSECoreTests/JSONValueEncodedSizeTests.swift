import Testing
import WSECore

/// `encodedSize` counts what `jsonText` writes, without writing it (usage records' `bytes`).
@Suite struct JSONValueEncodedSizeTests {
    @Test(arguments: [
        JSONValue.null, true, false, 0, -12, 1234567, 3.25, -0.5, "", "plain", "quote \" and \\ backslash", "line\nbreak\ttab",
        "control \u{01}", "ünïcødé ✓", [], [1, 2, 3], [:], ["a": 1, "b": ["c": [true, .null]], "d": "e"],
    ])
    func theSizeIsTheLengthOfTheCompactJSON(value: JSONValue) {
        #expect(value.encodedSize == value.jsonText.utf8.count, "\(value.jsonText)")
    }
}
