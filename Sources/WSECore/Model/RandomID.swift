/// Unguessable identifiers for sessions and processes.
public enum RandomID {
    private static let alphabet = Array("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".utf8)

    /// A random id of `length` base-62 characters (22 characters carry ~131 bits), after `prefix`.
    public static func make(prefix: String = "", length: Int = 22) -> String {
        var rng = SystemRandomNumberGenerator()
        var bytes = [UInt8]()
        bytes.reserveCapacity(length)
        for _ in 0..<length { bytes.append(alphabet[Int(rng.next(upperBound: UInt8(alphabet.count)))]) }
        return prefix + String(decoding: bytes, as: UTF8.self)
    }
}
