/* Prelude of the io/ protocols for the layout oracle: xs_wire.h defines its xsd_errors[] table only when errno.h came first;
   every other io/ header needs only xen.h and grant_table.h, which the oracle includes. */
#include <errno.h>
