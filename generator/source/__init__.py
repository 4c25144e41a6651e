"""Reading: YAML files into plain data that knows where each value was written, bounded in bytes,
depth and size; the file cache; the JSON Schemas; the problem every layer reports."""
