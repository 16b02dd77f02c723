import NIOCore
import SIP

/// One PUBLISHed document of a presentity (RFC 3903 §6).
struct Publication: Sendable {
    var document: PIDFDocument
    var expiresAt: NIODeadline
}

/// A watcher's subscription to a presentity: the server side of the dialog.
struct PresenceSubscription: Sendable {
    var watcher: SIPURI
    var watcherTag: String
    var entity: String
    var callID: String
    var localTag: String
    var remoteTarget: SIPURI
    var destination: SIPEndpoint
    var expiresAt: NIODeadline
    var sequence: UInt32 = 0
}

extension PresenceServer {
    /// PUBLISH: initial (body), refresh (SIP-If-Match, no body), modify (both), remove (Expires: 0).
    func publish(_ request: SIPRequest) -> SIPResponse {
        guard request.headers[SIPHeaderName.event]?.lowercased() == "presence" else {
            return SIPResponse(to: request, statusCode: 489)
        }
        guard let from = try? request.headers.from() else { return SIPResponse(to: request, statusCode: 400) }
        let entity = request.uri.addressOfRecord
        guard from.uri.addressOfRecord == entity else {
            return SIPResponse(to: request, statusCode: 403, reason: "Only The Presentity May Publish")
        }
        let expires = min((try? request.headers.expires()) ?? 3600, configuration.maxExpires)
        var document: PIDFDocument?
        if !request.body.isEmpty {
            guard request.headers[SIPHeaderName.contentType]?.lowercased().hasPrefix(PIDFDocument.contentType) == true else {
                var response = SIPResponse(to: request, statusCode: 415)
                response.headers.add("Accept", PIDFDocument.contentType)
                return response
            }
            do {
                document = try PIDFDocument(parsing: request.body)
            } catch {
                return SIPResponse(to: request, statusCode: 400, reason: "Invalid PIDF: \(error.reason)")
            }
        }
        var publications = presentities[entity] ?? [:]
        var previous: Publication?
        if let tag = request.headers[SIPHeaderName.sipIfMatch] {
            guard let existing = publications.removeValue(forKey: tag) else { return SIPResponse(to: request, statusCode: 412) }
            previous = existing
        } else if document == nil {
            return SIPResponse(to: request, statusCode: 400, reason: "Initial PUBLISH Needs A Body")
        }
        var response = SIPResponse(to: request, statusCode: 200, toTag: SIPIdentifiers.tag())
        if expires > 0, let current = document ?? previous?.document {
            let tag = SIPIdentifiers.random(12)
            publications[tag] = Publication(document: current, expiresAt: now + .seconds(Int64(expires)))
            response.headers.add(SIPHeaderName.sipETag, tag)
        }
        response.headers.add(SIPHeaderName.expires, "\(expires)")
        presentities[entity] = publications.isEmpty ? nil : publications
        if document != nil || expires == 0 { notifyWatchers(of: entity) }
        return response
    }

    /// SUBSCRIBE: creates (no To tag), refreshes or ends (Expires: 0) a subscription; each is
    /// followed by a NOTIFY with the current state (RFC 6665 §4.2.1).
    func subscribe(_ request: SIPRequest, from source: SIPEndpoint) -> SIPResponse {
        guard request.headers[SIPHeaderName.event]?.lowercased() == "presence" else {
            var response = SIPResponse(to: request, statusCode: 489)
            response.headers.add("Allow-Events", "presence")
            return response
        }
        guard let from = try? request.headers.from(), let fromTag = from.tag, let to = try? request.headers.to(),
              let callID = try? request.headers.callID() else {
            return SIPResponse(to: request, statusCode: 400)
        }
        let expires = min((try? request.headers.expires()) ?? 3600, configuration.maxExpires)
        let rule = rule(for: from.uri.addressOfRecord, of: request.uri.addressOfRecord)
        if rule == .block && to.tag == nil && expires > 0 {
            return SIPResponse(to: request, statusCode: 403, reason: "Watcher Blocked")
        }
        var subscription: PresenceSubscription
        if let toTag = to.tag {
            let id = "\(callID);\(toTag)"
            guard let existing = subscriptions[id] else { return SIPResponse(to: request, statusCode: 481) }
            subscription = existing
        } else {
            let target = (try? request.headers.contacts().first?.uri) ?? from.uri
            subscription = PresenceSubscription(watcher: from.uri, watcherTag: fromTag, entity: request.uri.addressOfRecord,
                                                callID: callID, localTag: SIPIdentifiers.tag(), remoteTarget: target,
                                                destination: source, expiresAt: now)
        }
        subscription.expiresAt = now + .seconds(Int64(expires))
        subscription.destination = source
        let id = "\(callID);\(subscription.localTag)"
        var response = SIPResponse(to: request, statusCode: 200, toTag: subscription.localTag)
        response.headers.add(SIPHeaderName.expires, "\(expires)")
        response.headers.add(SIPHeaderName.contact, "<\(contactURI)>")
        if expires == 0 {
            subscriptions[id] = nil
            sendNotify(subscription, state: SIPSubscriptionState(state: "terminated", reason: "timeout"))
        } else if rule == .block {
            subscriptions[id] = nil
            sendNotify(subscription, state: SIPSubscriptionState(state: "terminated", reason: "rejected"))
        } else {
            subscriptions[id] = subscription
            sendNotify(subscription, state: state(of: subscription, under: rule))
        }
        return response
    }

    /// Tells the watchers allowed to see `entity` its new state (the others' view does not change).
    func notifyWatchers(of entity: String) {
        for id in subscriptions.keys(in: entity) {
            guard let subscription = subscriptions[id], rule(for: subscription.watcher.addressOfRecord, of: entity) == .allow
            else { continue }
            sendNotify(subscription, state: state(of: subscription, under: .allow))
        }
    }

    /// The presentity's current document: the tuples of all its publications.
    func currentDocument(of entity: String) -> PIDFDocument? {
        guard let publications = presentities[entity], !publications.isEmpty else { return nil }
        let documents = publications.values.sorted { $0.expiresAt < $1.expiresAt }.map(\.document)
        return PIDFDocument(entity: entity, tuples: documents.flatMap(\.tuples), notes: documents.flatMap(\.notes))
    }

    /// Sends a NOTIFY in the subscription's dialog, after the dialog's earlier ones (`NotifyQueues`).
    func sendNotify(_ subscription: PresenceSubscription, state: SIPSubscriptionState) {
        let id = "\(subscription.callID);\(subscription.localTag)"
        var current = subscriptions[id] ?? subscription
        current.sequence += 1
        if subscriptions[id] != nil { subscriptions[id] = current }
        var request = SIPRequest(method: .notify, uri: current.remoteTarget)
        var fromParameters = SIPParameters()
        fromParameters.setRaw("tag", current.localTag)
        var toParameters = SIPParameters()
        toParameters.setRaw("tag", current.watcherTag)
        let entityURI = (try? SIPURI(parsing: current.entity)) ?? current.watcher
        request.headers.add(SIPHeaderName.from, SIPNameAddress(uri: entityURI, parameters: fromParameters).description)
        request.headers.add(SIPHeaderName.to, SIPNameAddress(uri: current.watcher, parameters: toParameters).description)
        request.headers.add(SIPHeaderName.callID, current.callID)
        request.headers.add(SIPHeaderName.cseq, SIPCSeq(current.sequence, .notify).description)
        request.headers.add(SIPHeaderName.contact, "<\(contactURI)>")
        request.headers.add(SIPHeaderName.event, "presence")
        request.headers.add(SIPHeaderName.subscriptionState, state.description)
        // Only an allowed watcher sees the document: a pending one none yet, a politely blocked one never.
        if !state.isTerminated, rule(for: current.watcher.addressOfRecord, of: current.entity) == .allow,
            let document = currentDocument(of: current.entity)
        {
            request.headers.add(SIPHeaderName.contentType, PIDFDocument.contentType)
            request.body = Array(document.xml.utf8)
        }
        if notifyQueues.enqueue(request, to: current.destination, dialog: id) { notifyDialogs.yield(id) }
    }

    /// Sends the dialog's waiting NOTIFYs one at a time, each after the previous one's transaction ended,
    /// so that they reach the watcher in CSeq order. A watcher that answers 481 or not at all is dropped
    /// with the NOTIFYs still waiting for it.
    func sendWaitingNotifies(of id: String) async {
        while let (request, destination) = notifyQueues.next(of: id) {
            let response = try? await layer.send(request, to: destination)
            if response == nil || response?.statusCode == 481 {
                subscriptions[id] = nil
                notifyQueues.drop(id)
            } else {
                notifyQueues.sent(id)
            }
        }
    }
}
