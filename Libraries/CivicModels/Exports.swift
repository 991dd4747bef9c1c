// The JSON toolkit lived in this module until issue 30 gave it a module of its own (CivicJSON). Re-exported
// so code that still imports only CivicModels for it (Services/Reporting) keeps building; new code imports
// CivicJSON itself.
@_exported import CivicJSON
