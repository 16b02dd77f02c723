import PostgresNIO
import WSECore

extension PostgresStore {
    /// Explains a PostgreSQL failure as a `StoreError` that says what went wrong and what to do.
    static func storeError(_ error: any Error, location: String, doing action: String) -> StoreError {
        if let error = error as? StoreError { return error }
        if let transaction = error as? PostgresTransactionError,
           let cause = transaction.closureError ?? transaction.beginError ?? transaction.commitError {
            return storeError(cause, location: location, doing: action)
        }
        guard let error = error as? PSQLError else {
            if error is PostgresDecodingError {
                return StoreError("could not \(action) in \(location): a stored value has an unexpected type; was the schema changed by hand?")
            }
            return StoreError("could not \(action) in \(location): \(error); check that PostgreSQL is running and reachable")
        }
        guard let server = error.serverInfo, let state = server[.sqlState] else {
            let cause = error.underlying.map { "\($0)" } ?? "\(error.code)"
            return StoreError("could not \(action) in \(location): PostgreSQL is not reachable (\(cause)); start it, or fix node.database")
        }
        let detail = server[.message] ?? state
        return StoreError("could not \(action) in \(location): \(detail) (SQLSTATE \(state)); \(advice(sqlState: state))")
    }

    /// What to do about a server error, by its SQLSTATE (class first, then a few exact codes).
    private static func advice(sqlState state: String) -> String {
        switch (state, state.prefix(2)) {
        case ("3D000", _): "create the database (createdb), or fix its name in node.database"
        case ("42501", _): "grant the user of node.database the rights on its database (it creates and changes WSE's tables)"
        case (_, "28"): "PostgreSQL refused the user or password of node.database; check them and pg_hba.conf"
        case (_, "08"), (_, "57"): "PostgreSQL closed the connection or is shutting down; retry once it is back"
        case (_, "53"): "PostgreSQL is out of a resource (disk, memory or connections); free it and retry"
        case (_, "23"): "the data breaks a rule of the schema (this is a bug in WSE; please report it)"
        default: "see PostgreSQL's message above"
        }
    }
}
