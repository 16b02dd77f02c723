import WSECore

/// OneAPI `terminalLocation` records.
enum TerminalLocation {
    static func retrieved(_ address: String, _ position: TerminalPosition) -> JSONValue {
        ["address": .string(address), "locationRetrievalStatus": "Retrieved", "currentLocation": position.currentLocation]
    }

    static func unknown(_ address: String) -> JSONValue {
        [
            "address": .string(address), "locationRetrievalStatus": "Error",
            "errorInformation": OneAPIError.unknownAddresses([address]).serviceException,
        ]
    }
}
