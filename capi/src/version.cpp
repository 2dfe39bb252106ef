// Placeholder translation unit so the library target has a source until the C
// ABI lands; replaced by the real entry points.
