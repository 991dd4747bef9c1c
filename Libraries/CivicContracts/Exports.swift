// JSONValue and JSONObject, the values of every document this module builds, are CivicJSON's: importing
// CivicContracts brings them too.
@_exported import CivicJSON
