import Hummingbird
import WSECore

/// Answers 405 `method_not_allowed`, with `Allow`, to a request for a path the node routes but not with that method
/// (the router alone answers 404, as for a path it does not know). Runs only on the router's not-found path, so it
/// costs nothing on a routed request. Add it after every route: it is given the final route list.
struct MethodNotAllowedMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The methods of each path template, templates split into segments (`{id}` matches any one segment).
    private let templates: [(segments: [Substring], methods: [String])]

    init(routes: [NodeRoute]) {
        templates = Dictionary(grouping: routes, by: \.path)
            .map { path, routes in (Self.segments(of: path), routes.map { $0.method.uppercased() }.sorted()) }
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            let path = Self.segments(of: request.uri.path)
            guard let template = templates.first(where: { Self.matches(path, $0.segments) }) else { throw error }
            var response = try HTTPErrorBody(
                code: "method_not_allowed", message: "\(request.uri.path) accepts \(template.methods.joined(separator: ", ")) only"
            ).response(status: .methodNotAllowed)
            response.headers[.allow] = template.methods.joined(separator: ", ")
            return response
        }
    }

    private static func segments(of path: some StringProtocol) -> [Substring] {
        Substring(path).split(separator: "/")
    }

    private static func matches(_ path: [Substring], _ template: [Substring]) -> Bool {
        path.count == template.count && zip(path, template).allSatisfy { segment, pattern in
            pattern.hasPrefix("{") && pattern.hasSuffix("}") || segment == pattern
        }
    }
}
