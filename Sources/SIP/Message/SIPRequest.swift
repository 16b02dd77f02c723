/// A SIP request: method, Request-URI, headers and body.
public struct SIPRequest: Sendable, Hashable {
    public var method: SIPMethod
    public var uri: SIPURI
    public var headers: SIPHeaders
    public var body: [UInt8]

    public init(method: SIPMethod, uri: SIPURI, headers: SIPHeaders = SIPHeaders(), body: [UInt8] = []) {
        self.method = method
        self.uri = uri
        self.headers = headers
        self.body = body
    }
}

/// A SIP response: status code, reason phrase, headers and body.
public struct SIPResponse: Sendable, Hashable {
    public var statusCode: Int
    public var reason: String
    public var headers: SIPHeaders
    public var body: [UInt8]

    public init(statusCode: Int, reason: String? = nil, headers: SIPHeaders = SIPHeaders(), body: [UInt8] = []) {
        self.statusCode = statusCode
        self.reason = reason ?? SIPResponse.defaultReason(statusCode)
        self.headers = headers
        self.body = body
    }

    public var isProvisional: Bool { statusCode < 200 }
    public var isSuccess: Bool { (200..<300).contains(statusCode) }

    /// A response to `request` that copies Via, From, To, Call-ID and CSeq (RFC 3261 §8.2.6.2),
    /// adding `toTag` to To when it has none.
    public init(to request: SIPRequest, statusCode: Int, reason: String? = nil, toTag: String? = nil) {
        var headers = SIPHeaders()
        for line in request.headers.lines(SIPHeaderName.via) { headers.add(SIPHeaderName.via, line) }
        if let from = request.headers[SIPHeaderName.from] { headers.add(SIPHeaderName.from, from) }
        if var to = request.headers[SIPHeaderName.to] {
            if let toTag, let address = try? SIPNameAddress(parsing: to), address.tag == nil {
                var tagged = address
                tagged.tag = toTag
                to = tagged.description
            }
            headers.add(SIPHeaderName.to, to)
        }
        if let callID = request.headers[SIPHeaderName.callID] { headers.add(SIPHeaderName.callID, callID) }
        if let cseq = request.headers[SIPHeaderName.cseq] { headers.add(SIPHeaderName.cseq, cseq) }
        self.init(statusCode: statusCode, reason: reason, headers: headers)
    }

    /// An answer outside any dialog that lists the methods the answering agent supports: 200 to
    /// OPTIONS, 405 and 501 (RFC 3261 §11, §8.2.1). It gets a fresh To tag.
    public init(to request: SIPRequest, statusCode: Int, allowing allowed: String) {
        self.init(to: request, statusCode: statusCode, toTag: SIPIdentifiers.tag())
        headers.add(SIPHeaderName.allow, allowed)
    }

    static func defaultReason(_ code: Int) -> String {
        switch code {
        case 100: "Trying"
        case 180: "Ringing"
        case 200: "OK"
        case 202: "Accepted"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 407: "Proxy Authentication Required"
        case 408: "Request Timeout"
        case 412: "Conditional Request Failed"
        case 413: "Request Entity Too Large"
        case 415: "Unsupported Media Type"
        case 423: "Interval Too Brief"
        case 481: "Call/Transaction Does Not Exist"
        case 489: "Bad Event"
        case 500: "Server Internal Error"
        case 501: "Not Implemented"
        case 503: "Service Unavailable"
        case 505: "Version Not Supported"
        default: code < 300 ? "OK" : "Error"
        }
    }
}

/// A SIP message: either a request or a response.
public enum SIPMessage: Sendable, Hashable {
    case request(SIPRequest)
    case response(SIPResponse)

    public var headers: SIPHeaders {
        switch self {
        case .request(let r): r.headers
        case .response(let r): r.headers
        }
    }

    public var body: [UInt8] {
        switch self {
        case .request(let r): r.body
        case .response(let r): r.body
        }
    }
}
