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

    /// Found by the `config-file` fuzz target: Yams trapped (overflow) on a base-60 integer too large for `Int`,
    /// taking the process down; now it is an error at its line. A base-60 number that fits still reads.
    @Test func aBase60IntegerTooLargeIsAnErrorNotACrash() throws {
        #expect {
            try ConfigFile.decode(Sample.self, yaml: "server:\n  host: h\n  port: +9135384419000002650:0\nnames: []\n", file: "node.yaml")
        } throws: { error in
            let e = error as! ConfigFileError
            return e.line == 3 && e.message.contains("too large")
        }
        for value in ["+-9135384419000002650:0", "1:1:1:1:1:1:1:1:1:1:1"] {
            #expect(throws: ConfigFileError.self, "\(value)") {
                try ConfigFile.decode(Sample.self, yaml: "server:\n  host: h\n  port: \(value)\nnames: []\n", file: "node.yaml")
            }
        }
        let fits = try ConfigFile.decode(Sample.self, yaml: "server:\n  host: h\n  port: 1:30\nnames: [\"a:b\"]\n", file: "node.yaml")
        #expect(fits.server.port == 90)
        #expect(fits.names == ["a:b"])
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
