// The JSON toolkit and Hex lived in this module until issue 30 gave them modules of their own (CivicJSON,
// CivicBytes). Re-exported so code that still imports only CivicModels for them (Services/Reporting) keeps
// building; new code imports CivicJSON or CivicBytes itself.
@_exported import CivicBytes
@_exported import CivicJSON
