import NIOCore

extension SIPUserAgent {
    /// One presence subscription (RFC 6665, RFC 3856) and its dialog.
    struct Subscription {
        let entity: String
        var dialog: SIPDialog
        var refresh: Scheduled<Void>?
        /// The state the latest NOTIFY reported (nil: nothing published).
        var document: PIDFDocument?

        var dialogID: DialogID { DialogID(callID: dialog.callID, localTag: dialog.localTag) }
    }

    /// What identifies a subscription's dialog in a NOTIFY: its Call-ID and our (To) tag.
    struct DialogID: Hashable, Sendable {
        let callID: String
        let localTag: String
    }

    /// Subscribes to the presence of `entity`. NOTIFYs arrive as `.presence` events; the
    /// subscription is refreshed before it expires until `unsubscribe`.
    public func subscribe(to entity: SIPURI) async throws(SIPUserAgentError) {
        let key = entity.addressOfRecord
        if let existing = subscriptions[key] {
            existing.refresh?.cancel()
            subscriptions[key] = nil
        }
        var dialog = SIPDialog(localURI: configuration.addressOfRecord, remoteURI: entity)
        dialog.remoteTarget = entity
        subscriptions[key] = Subscription(entity: key, dialog: dialog)
        do {
            try await sendSubscribe(key, expires: configuration.subscribeExpires)
        } catch {
            subscriptions[key] = nil
            throw error
        }
    }

    /// Ends the subscription (SUBSCRIBE with Expires: 0); the final NOTIFY is still reported.
    public func unsubscribe(from entity: SIPURI) async throws(SIPUserAgentError) {
        let key = entity.addressOfRecord
        guard let subscription = subscriptions[key] else { throw .notFound("no subscription to \(key)") }
        subscription.refresh?.cancel()
        do {
            try await sendSubscribe(key, expires: 0)
        } catch {
            subscriptions[key] = nil
            throw error
        }
        // Keep the dialog a little for the final NOTIFY (terminated), then forget it.
        subscriptions[key]?.refresh = schedule(after: 32) { agent in await agent.forgetSubscription(key) }
    }

    private func forgetSubscription(_ key: String) { subscriptions[key] = nil }

    /// The entities we are subscribed to.
    public var subscribedEntities: [String] { Array(subscriptions.keys) }

    private func sendSubscribe(_ key: String, expires: Int) async throws(SIPUserAgentError) {
        guard var dialog = subscriptions[key]?.dialog else { return }
        var request = dialog.makeRequest(.subscribe)
        request.headers.add(SIPHeaderName.contact, contact.description)
        request.headers.add(SIPHeaderName.event, "presence")
        request.headers.add("Accept", PIDFDocument.contentType)
        request.headers.add(SIPHeaderName.expires, "\(expires)")
        let response = try await execute(&request)
        dialog.localSequence = (try? request.headers.cseq().sequence) ?? dialog.localSequence
        if response.statusCode == 481 && dialog.remoteTag != nil {
            throw .rejected(statusCode: 481, reason: response.reason)
        }
        try requireSuccess(response)
        dialog.update(from: response.headers, remoteTag: try? response.headers.to().tag, isResponse: true)
        guard expires > 0, subscriptions[key] != nil else { return }
        // Keep whatever a NOTIFY taught the dialog meanwhile, but our CSeq.
        var current = subscriptions[key]!
        if current.dialog.remoteTag == nil { current.dialog.remoteTag = dialog.remoteTag }
        if current.dialog.routeSet.isEmpty { current.dialog.routeSet = dialog.routeSet }
        if dialog.remoteTarget != current.dialog.remoteURI { current.dialog.remoteTarget = dialog.remoteTarget }
        current.dialog.localSequence = dialog.localSequence
        let granted = (try? response.headers.expires()) ?? expires
        current.refresh = schedule(after: Self.refreshDelay(granted)) { agent in
            try? await agent.sendSubscribe(key, expires: agent.configuration.subscribeExpires)
        }
        subscriptions[key] = current
    }

    /// A NOTIFY: matched to its subscription by Call-ID and our tag; reported; 481 if unknown. A final
    /// (terminated) NOTIFY without a body reports the state the subscription last saw.
    func handleNotify(_ request: SIPRequest) -> SIPResponse {
        guard let callID = try? request.headers.callID(), let to = try? request.headers.to(), let from = try? request.headers.from(),
              let localTag = to.tag, let key = subscriptions.keys(in: DialogID(callID: callID, localTag: localTag)).first,
              var subscription = subscriptions[key]
        else {
            return SIPResponse(to: request, statusCode: 481)
        }
        guard request.headers[SIPHeaderName.event]?.lowercased().hasPrefix("presence") == true else {
            return SIPResponse(to: request, statusCode: 489)
        }
        guard let stateValue = request.headers[SIPHeaderName.subscriptionState],
              let state = try? SIPSubscriptionState(parsing: stateValue) else {
            return SIPResponse(to: request, statusCode: 400, reason: "Missing or invalid Subscription-State")
        }
        // NOTIFYs can overtake each other (UDP, concurrent handling); an older state must not win.
        guard let sequence = try? request.headers.cseq().sequence else { return SIPResponse(to: request, statusCode: 400) }
        guard subscription.dialog.acceptRemoteSequence(sequence) else {
            return SIPResponse(to: request, statusCode: 500, reason: "Out Of Order NOTIFY")
        }
        subscriptions[key] = subscription
        var document: PIDFDocument?
        if !request.body.isEmpty {
            do {
                document = try PIDFDocument(parsing: request.body)
            } catch {
                return SIPResponse(to: request, statusCode: 400, reason: "Invalid PIDF")
            }
        }
        subscription.dialog.update(from: request.headers, remoteTag: from.tag, isResponse: false)
        if state.isTerminated && request.body.isEmpty {
            // The end of the subscription, not news: Kamailio's final NOTIFY carries the current state, the
            // embedded server's none; either way the watcher's last word is the state it last saw.
            document = subscription.document
        }
        subscription.document = document
        if state.isTerminated {
            subscription.refresh?.cancel()
            subscriptions[key] = nil
        } else {
            subscriptions[key] = subscription
        }
        onEvent(.presence(entity: key, document: document, state: state))
        return SIPResponse(to: request, statusCode: 200)
    }
}
