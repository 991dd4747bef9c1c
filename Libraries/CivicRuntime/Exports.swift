// ConstantTime lived in this module until issue 30 moved it to CivicBytes. Re-exported so code that still
// imports only CivicRuntime for it (Services/Reporting) keeps building; new code imports CivicBytes itself.
@_exported import CivicBytes
