import Testing
import WSECore

@Suite struct ConstantTimeTests {
    @Test func equalSecretsMatch() {
        #expect(ConstantTime.equal("s3cret-connector-key-0123", "s3cret-connector-key-0123"))
        #expect(ConstantTime.equal("", ""))
    }

    @Test func secretsOfTheSameLengthThatDifferDoNotMatch() {
        #expect(!ConstantTime.equal("s3cret-connector-key-0123", "s3cret-connector-key-0124"))
        #expect(!ConstantTime.equal("X3cret-connector-key-0123", "s3cret-connector-key-0123"))
    }

    @Test func secretsOfDifferentLengthsDoNotMatch() {
        #expect(!ConstantTime.equal("s3cret", "s3cret-connector-key"))
        #expect(!ConstantTime.equal("s3cret-connector-key", "s3cret"))
        #expect(!ConstantTime.equal("", "s3cret"))
    }

    @Test func substringsCompareByContent() {
        let header = "Bearer token-123"
        #expect(ConstantTime.equal(header.dropFirst(7), "token-123"))
    }
}
