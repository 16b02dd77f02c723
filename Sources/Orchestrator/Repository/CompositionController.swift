import Foundation
import Hummingbird
import NIOCore
import Orc
import WSECore

/// The CSDR's HTTP interface (composed service definition repository): stores, reads, lists and
/// deletes the versioned Orc source of compositions through the `CompositionStore` port.
///
/// - `PUT /orchestrator/v1/compositions/{id}` (`text/x-orc`): a new version; 201 (new id) or 200 `{"id","version"}`;
///   422 `orc_parse_error` with `line`/`column` when it does not parse; 413 above the size limit.
/// - `GET …/{id}[?version=N]`: the source (`text/x-orc`, header `WSE-Composition-Version`); 404 unknown.
/// - `GET …/{id}/versions`: `{"id","versions":[1,2,…]}`; 404 unknown.
/// - `DELETE …/{id}`: every version; 204, or 404 unknown.
/// The admin token is checked in front of these routes by the node, not here. Details: docs/ORCHESTRATOR.md.
public struct CompositionController: Sendable {
    public static let basePath = "/orchestrator/v1/compositions"
    /// The version a `PUT` stored or a `GET` returns. (`HTTPFields.Element` is HTTPTypes' `HTTPField`, which Hummingbird does not re-export.)
    public static let versionHeader = HTTPFields.Element.Name("WSE-Composition-Version")!
    static let sourceType = "text/x-orc"

    let store: any CompositionStore
    let compiler: CompositionCompiler
    let maxSourceBytes: Int

    /// - Parameter configuration: the same configuration the `Orchestrator` runs with (source size limit, include folders).
    public init(store: any CompositionStore, configuration: OrchestratorConfiguration = .init()) {
        self.store = store
        self.compiler = CompositionCompiler(includePaths: configuration.includePaths)
        self.maxSourceBytes = configuration.maxSourceBytes
    }

    /// Adds the CSDR routes to a router (or router group) of any request context.
    public func addRoutes<Context: RequestContext>(to router: some RouterMethods<Context>) {
        let item = RouterPath("\(Self.basePath)/:id")
        router.put(item) { request, context in await self.put(request, id: context.parameters.get("id")) }
        router.get(item) { request, context in await self.get(request, id: context.parameters.get("id")) }
        router.delete(item) { _, context in await self.delete(id: context.parameters.get("id")) }
        router.get(RouterPath("\(Self.basePath)/:id/versions")) { _, context in await self.versions(id: context.parameters.get("id")) }
    }

    func put(_ request: Request, id: String?) async -> Response {
        guard let id = Self.validID(id) else { return .invalidID }
        if let type = request.headers[.contentType], !Self.acceptsContentType(type) {
            return .error(.unsupportedMediaType, "unsupported_media_type", "the body must be Orc source sent as \(Self.sourceType) (or text/plain), not \(type)")
        }
        if let length = request.headers[.contentLength].flatMap(Int.init), length > maxSourceBytes { return tooLarge }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: maxSourceBytes)
        } catch is NIOTooManyBytesError {
            return tooLarge
        } catch {
            return .error(.badRequest, "bad_request", "the body could not be read: \(error)")
        }
        guard let source = String(validating: body.readableBytesView, as: UTF8.self) else {
            return .error(.badRequest, "bad_request", "the body is not UTF-8 text")
        }
        do {
            _ = try compiler.compile(id: id, source: source)
        } catch {
            return .parseError(error)
        }
        do {
            let isNew = try await store.compositionVersions(id: id).isEmpty
            let saved = try await store.saveComposition(id: id, source: source)
            var response = Response.json(isNew ? .created : .ok, ["id": .string(id), "version": .number(Double(saved.version))])
            if isNew { response.headers[.location] = "\(Self.basePath)/\(id)" }
            response.headers[Self.versionHeader] = String(saved.version)
            return response
        } catch {
            return .storeFailure(error)
        }
    }

    func get(_ request: Request, id: String?) async -> Response {
        guard let id = Self.validID(id) else { return .invalidID }
        var version: Int?
        if let text = request.uri.queryParameters["version"] {
            guard let number = Int(text), number > 0 else {
                return .error(.badRequest, "bad_request", "version must be a positive integer, got \"\(text)\"")
            }
            version = number
        }
        do {
            guard let stored = try await store.composition(id: id, version: version) else {
                return .notFound(version.map { "composition \"\(id)\" has no version \($0)" } ?? "no composition \"\(id)\"")
            }
            return Response(status: .ok,
                            headers: [.contentType: "\(Self.sourceType); charset=utf-8", Self.versionHeader: String(stored.version)],
                            body: .init(byteBuffer: ByteBuffer(string: stored.source)))
        } catch {
            return .storeFailure(error)
        }
    }

    func versions(id: String?) async -> Response {
        guard let id = Self.validID(id) else { return .invalidID }
        do {
            let versions = try await store.compositionVersions(id: id)
            guard !versions.isEmpty else { return .notFound("no composition \"\(id)\"") }
            return .json(.ok, ["id": .string(id), "versions": .array(versions.sorted().map { .number(Double($0)) })])
        } catch {
            return .storeFailure(error)
        }
    }

    func delete(id: String?) async -> Response {
        guard let id = Self.validID(id) else { return .invalidID }
        do {
            guard try await store.deleteComposition(id: id) else { return .notFound("no composition \"\(id)\"") }
            return Response(status: .noContent)
        } catch {
            return .storeFailure(error)
        }
    }

    private var tooLarge: Response {
        .error(.contentTooLarge, "too_large", "the composition is larger than \(maxSourceBytes) bytes")
    }

    /// Ids are 1 to 64 letters, digits, `.`, `_` or `-` (they appear in URLs, metrics and file names).
    static func validID(_ id: String?) -> String? {
        guard let id, (1...64).contains(id.utf8.count), id.utf8.allSatisfy(idCharacters.contains) else { return nil }
        return id
    }

    private static let idCharacters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-".utf8)

    static func acceptsContentType(_ header: String) -> Bool {
        let type = header.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        return type == sourceType || type == "text/plain"
    }
}
