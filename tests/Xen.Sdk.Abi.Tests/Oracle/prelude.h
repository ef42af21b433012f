/* Prelude of the core-header oracle: nothing beyond __XEN_TOOLS__ (defined by the oracle) is needed. */
