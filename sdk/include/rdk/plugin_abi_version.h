/* The ABI version of sdk/include/rdk/plugin_abi.h. Bump MINOR when a field is appended to a struct,
 * MAJOR (and the entry symbol's name with it) when anything else changes. */
#ifndef RDK_PLUGIN_ABI_VERSION_H
#define RDK_PLUGIN_ABI_VERSION_H

#define RDK_PLUGIN_ABI_MAJOR 1
#define RDK_PLUGIN_ABI_MINOR 3

/* The major version is part of the symbol name, so a kernel never even finds the entry point of a
 * plugin of another major. */
#define RDK_PLUGIN_ENTRY_NAME rdk_plugin_entry_v1
#define RDK_PLUGIN_ENTRY_SYMBOL "rdk_plugin_entry_v1"

#endif
