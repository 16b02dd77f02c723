/// How a composition uses a service it calls.
enum SiteCallMode: String, Sendable {
    /// `Service(…)`: the answer is the site's value; events, if the service sends any, are not wanted.
    case answer = "call"
    /// `Subscribe(…)`: the site's value is a stream that the program reads the events from.
    case events = "subscribe"
}
