import Foundation

/// Prints a line for the operator and flushes at once, so that progress shows even when
/// stdout is a file or a pipe (tests and scripts wait for these lines).
public func say(_ line: String) {
    print(line)
    fflush(nil)
}
