import ArgumentParser

/// A size given on the command line: a number of bytes with an optional binary unit (`512KiB`, `64MiB`, `1GiB`).
struct ByteCount: ExpressibleByArgument, CustomStringConvertible {
    let bytes: Int

    init(_ bytes: Int) { self.bytes = bytes }

    init?(argument: String) {
        let units: [(suffix: String, shift: Int)] = [("KiB", 10), ("MiB", 20), ("GiB", 30), ("B", 0), ("", 0)]
        for unit in units where argument.hasSuffix(unit.suffix) {
            guard let count = Int(argument.dropLast(unit.suffix.count)), count >= 0, count <= Int.max >> unit.shift else { return nil }
            bytes = count << unit.shift
            return
        }
        return nil
    }

    var description: String {
        for (suffix, shift) in [("GiB", 30), ("MiB", 20), ("KiB", 10)] where bytes >= 1 << shift && bytes % (1 << shift) == 0 {
            return "\(bytes >> shift)\(suffix)"
        }
        return "\(bytes)"
    }

    var defaultValueDescription: String { description }
}
