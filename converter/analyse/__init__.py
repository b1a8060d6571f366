"""Analysis: the stages from numbered lines to the document model of a page, in order."""
