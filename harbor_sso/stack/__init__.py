"""The stack program: stack config in, the component with explicit providers out."""
