import ConfigFile
import Testing

@Suite struct ConfigFileTests {
    struct Sample: Decodable {
        struct Server: Decodable {
            var host: String
            var port: Int
        }
        var server: Server
        var names: [String]
    }

    @Test func decodesValidYAML() throws {
        let sample = try ConfigFile.decode(Sample.self, yaml: "server:\n  host: h\n  port: 1\nnames: [a, b]\n", file: "x.yaml")
        #expect(sample.server.port == 1)
        #expect(sample.names == ["a", "b"])
    }

    @Test func typeErrorsNameTheLineAndTheKey() {
        let yaml = "server:\n  host: h\n  port: eighty\nnames: []\n"
        #expect {
            try ConfigFile.decode(Sample.self, yaml: yaml, file: "node.yaml")
        } throws: { error in
            let e = error as! ConfigFileError
            return e.line == 3 && e.message.contains("server.port") && e.message.contains("whole number")
                && e.description.hasPrefix("node.yaml:3:")
        }
    }

    @Test func missingKeysNameTheirParent() {
        #expect {
            try ConfigFile.decode(Sample.self, yaml: "server:\n  host: h\nnames: []\n", file: "n.yaml")
        } throws: { error in
            let e = error as! ConfigFileError
            return e.line == 2 && e.message.contains("missing required key 'port'") && e.message.contains("'server'")
        }
    }

    @Test func syntaxErrorsHaveAPosition() {
        #expect {
            try ConfigFile.decode(Sample.self, yaml: "server: [unclosed\n", file: "n.yaml")
        } throws: { error in
            let e = error as! ConfigFileError
            return e.line != nil && e.message.hasPrefix("YAML syntax")
        }
    }

    @Test func unreadableFilesSayWhatToCheck() {
        #expect {
            try ConfigFile.load(Sample.self, from: "/nonexistent/wse.yaml")
        } throws: { ($0 as! ConfigFileError).message.contains("--config") }
    }
}
