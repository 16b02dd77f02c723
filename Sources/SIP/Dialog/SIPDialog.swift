/// The state of one dialog (RFC 3261 §12), here those that subscriptions create
/// (RFC 6665 §4.1.2.2): identifiers, remote target, route set and local CSeq.
public struct SIPDialog: Sendable, Hashable {
    public var callID: String
    public var localTag: String
    /// Learned from the 2xx or the first NOTIFY; nil until then.
    public var remoteTag: String?
    public var localURI: SIPURI
    public var remoteURI: SIPURI
    /// Where in-dialog requests go: the peer's Contact.
    public var remoteTarget: SIPURI
    /// Route header values, in the order to send them.
    public var routeSet: [String]
    public var localSequence: UInt32
    /// The CSeq of the latest request the peer sent in this dialog; nil before its first.
    public var remoteSequence: UInt32?

    public init(callID: String = SIPIdentifiers.callID(), localTag: String = SIPIdentifiers.tag(), localURI: SIPURI,
                remoteURI: SIPURI) {
        self.callID = callID
        self.localTag = localTag
        self.remoteTag = nil
        self.localURI = localURI
        self.remoteURI = remoteURI
        self.remoteTarget = remoteURI
        self.routeSet = []
        self.localSequence = 0
        self.remoteSequence = nil
    }

    /// The next request in this dialog: increments the local CSeq.
    public mutating func makeRequest(_ method: SIPMethod) -> SIPRequest {
        localSequence += 1
        var headers = SIPHeaders()
        headers.add(SIPHeaderName.from, SIPNameAddress(uri: localURI, parameters: Self.tagged(localTag)).description)
        headers.add(SIPHeaderName.to, SIPNameAddress(uri: remoteURI, parameters: remoteTag.map(Self.tagged) ?? SIPParameters()).description)
        headers.add(SIPHeaderName.callID, callID)
        headers.add(SIPHeaderName.cseq, SIPCSeq(localSequence, method).description)
        for route in routeSet { headers.add(SIPHeaderName.route, route) }
        return SIPRequest(method: method, uri: remoteTarget, headers: headers)
    }

    /// Updates the remote tag, target and route set from a dialog-creating response or
    /// request (`Contact`, `Record-Route`; reversed for a response, as RFC 3261 §12.1.2 says).
    public mutating func update(from headers: SIPHeaders, remoteTag: String?, isResponse: Bool) {
        if self.remoteTag == nil, let remoteTag { self.remoteTag = remoteTag }
        if let contact = try? headers.contacts().first { remoteTarget = contact.uri }
        let routes = headers.values(SIPHeaderName.recordRoute)
        if !routes.isEmpty, routeSet.isEmpty { routeSet = isResponse ? routes.reversed() : routes }
    }

    /// Takes the CSeq of a request the peer sent in this dialog: false when it is lower than the
    /// latest one, a request that was overtaken and must be refused with 500 (RFC 3261 §12.2.2).
    public mutating func acceptRemoteSequence(_ sequence: UInt32) -> Bool {
        if let remoteSequence, sequence < remoteSequence { return false }
        remoteSequence = sequence
        return true
    }

    static func tagged(_ tag: String) -> SIPParameters {
        var parameters = SIPParameters()
        parameters.setRaw("tag", tag)
        return parameters
    }
}
