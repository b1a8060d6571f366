"""Writers: one module per output format, each turning the document model into a tree."""
