import Hummingbird
import WSECore

/// Answers a `StoreError` escaping a route as `500 store_failed` with its message (which says what to do),
/// rather than as a bare 500: the admin and provider APIs change nothing when the store fails.
struct StoreFailureMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as StoreError {
            return try HTTPErrorBody(code: "store_failed", message: error.description).response(status: .internalServerError)
        }
    }
}
