/* Barriers for user-space programs including <xen/io/ring.h>: the header only defines xen_mb/xen_rmb/xen_wmb
 * for interface versions below 0x00030208 and expects the includer to provide them (Linux maps them to
 * virt_mb/virt_rmb/virt_wmb). On x86 rmb/wmb are compiler barriers (TSO) and mb is a locked instruction. */
#ifndef XEN_SDK_BARRIERS_H
#define XEN_SDK_BARRIERS_H
#define __XEN_INTERFACE_VERSION__ 0x00040e00 /* latest (Xen 4.17): the macros below come from us */
#include <stdint.h>
#include <stddef.h>
#include <string.h>
#define xen_mb()  __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define xen_rmb() __atomic_thread_fence(__ATOMIC_ACQUIRE)
#define xen_wmb() __atomic_thread_fence(__ATOMIC_RELEASE)
#include <xen/xen.h>
#include <xen/grant_table.h>
#include <xen/io/ring.h>
#endif
