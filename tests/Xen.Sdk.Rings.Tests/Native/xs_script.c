/* Oracle for XenStoreCodec: encodes and decodes XenStore messages with Xen's own definitions from
 * <xen/io/xs_wire.h> (struct xsd_sockmsg, the XS_* message numbering, the xsd_errors table and
 * XENSTORE_PAYLOAD_MAX). One command per line, one output line per command:
 *   E NAME req tx hex    encode a message of type NAME (an XS_* enumerator, looked up in the table below, so
 *                        the numbers are the header's): the hex of header + payload, or "toolong"
 *   R errno req tx       the XS_ERROR reply xenstored sends for errno (send_error: the xsd_errors name
 *                        with its NUL; an errno missing from the table is sent as EINVAL)
 *   D hex                decode a received message: "short", "malformed" (len > XENSTORE_PAYLOAD_MAX),
 *                        "partial", or "type req tx len" and, for XS_ERROR, " errno N" / " errno ?" (the
 *                        payload compared as a C string with strcmp against xsd_errors, as Linux's
 *                        xenbus get_error does) */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <xen/io/xs_wire.h>

#define T(x) { #x, x }
static const struct { const char *name; unsigned value; } types[] = {
    T(XS_CONTROL), T(XS_DEBUG), T(XS_DIRECTORY), T(XS_READ), T(XS_GET_PERMS), T(XS_WATCH), T(XS_UNWATCH),
    T(XS_TRANSACTION_START), T(XS_TRANSACTION_END), T(XS_INTRODUCE), T(XS_RELEASE), T(XS_GET_DOMAIN_PATH),
    T(XS_WRITE), T(XS_MKDIR), T(XS_RM), T(XS_SET_PERMS), T(XS_WATCH_EVENT), T(XS_ERROR),
    T(XS_IS_DOMAIN_INTRODUCED), T(XS_RESUME), T(XS_SET_TARGET), T(XS_RESET_WATCHES), T(XS_DIRECTORY_PART),
    T(XS_TYPE_COUNT), T(XS_INVALID),
};

static unsigned char buf[2 * (sizeof(struct xsd_sockmsg) + XENSTORE_PAYLOAD_MAX + 64)];
static char line[4 * sizeof buf];

static void put_hex(const void *p, size_t n) { for (size_t i = 0; i < n; i++) printf("%02x", ((const unsigned char *)p)[i]); }

static size_t from_hex(const char *h, unsigned char *out, size_t max) {
    size_t n = 0; unsigned v;
    while (n < max && sscanf(h + 2 * n, "%2x", &v) == 1) out[n++] = (unsigned char)v;
    return n;
}

static void encode(unsigned type, unsigned req, unsigned tx, const unsigned char *payload, size_t len) {
    struct xsd_sockmsg m = { type, req, tx, (uint32_t)len };
    put_hex(&m, sizeof m); put_hex(payload, len); printf("\n");
}

int main(void) {
    char cmd[4], name[64], hex[sizeof line];
    unsigned req, tx; int err;
    while (fgets(line, sizeof line, stdin)) {
        if (sscanf(line, "%3s", cmd) != 1) continue;
        if (cmd[0] == 'E') {
            hex[0] = 0;
            if (sscanf(line, "E %63s %u %u %s", name, &req, &tx, hex) < 3) return 2;
            if (!strcmp(hex, "-")) hex[0] = 0;
            size_t i, n = strlen(hex) / 2;
            for (i = 0; i < sizeof types / sizeof types[0] && strcmp(types[i].name, name); i++) ;
            if (i == sizeof types / sizeof types[0]) return 3;
            if (n > XENSTORE_PAYLOAD_MAX) { printf("toolong\n"); continue; }
            from_hex(hex, buf, n);
            encode(types[i].value, req, tx, buf, n);
        } else if (cmd[0] == 'R') {
            if (sscanf(line, "R %d %u %u", &err, &req, &tx) != 3) return 2;
            size_t i;
            for (i = 0; err != xsd_errors[i].errnum; i++)
                if (i == sizeof xsd_errors / sizeof xsd_errors[0] - 1) { i = 0; break; } /* untranslatable: EINVAL */
            encode(XS_ERROR, req, tx, (const unsigned char *)xsd_errors[i].errstring, strlen(xsd_errors[i].errstring) + 1);
        } else if (cmd[0] == 'D') {
            hex[0] = 0;
            sscanf(line, "D %s", hex);
            if (!strcmp(hex, "-")) hex[0] = 0;
            size_t n = from_hex(hex, buf, sizeof buf - 1);
            struct xsd_sockmsg m;
            if (n < sizeof m) { printf("short\n"); continue; }
            memcpy(&m, buf, sizeof m);
            if (m.len > XENSTORE_PAYLOAD_MAX) { printf("malformed\n"); continue; }
            if (n < sizeof m + m.len) { printf("partial\n"); continue; }
            printf("%u %u %u %u", m.type, m.req_id, m.tx_id, m.len);
            if (m.type == XS_ERROR) {
                char s[XENSTORE_PAYLOAD_MAX + 1];
                memcpy(s, buf + sizeof m, m.len); s[m.len] = 0; /* as xenbus: the body gets a NUL at len */
                size_t i;
                for (i = 0; i < sizeof xsd_errors / sizeof xsd_errors[0] && strcmp(s, xsd_errors[i].errstring); i++) ;
                if (i < sizeof xsd_errors / sizeof xsd_errors[0]) printf(" errno %d", xsd_errors[i].errnum); else printf(" errno ?");
            }
            printf("\n");
        } else return 4;
    }
    return 0;
}
