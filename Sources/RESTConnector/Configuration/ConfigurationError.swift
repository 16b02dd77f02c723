import ConfigFile

/// A configuration that cannot be used, with the place in the file that is wrong: the same
/// `file:line:column: message` error every WSE configuration file reports.
public typealias ConfigurationError = ConfigFileError
