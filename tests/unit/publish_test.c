// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * publish_test - --publish: its syntax, and the slirp forwardings it makes
 */
#include <errno.h>
#include <string.h>

#include "unit.h"
#include "publish.h"
#include "usernet.h"

static void parses_ports_addresses_ranges(void)
{
	struct publish p;

	UNIT_EQ(publish_parse("8080:80", &p), 0);
	UNIT_CHECK(p.any && !p.udp && p.host_port == 8080 && p.port == 80 && p.count == 1);
	UNIT_EQ(publish_parse("127.0.0.1:53:5353/udp", &p), 0);
	UNIT_CHECK(!p.any && p.udp && p.host_port == 53 && p.port == 5353);
	UNIT_EQ(publish_parse("1000-1010:2000-2010/tcp", &p), 0);
	UNIT_CHECK(p.host_port == 1000 && p.port == 2000 && p.count == 11);
}

static void refuses_what_is_not_a_publish(void)
{
	static const char *const bad[] = {
		"", "80", ":80", "8080:", "0:80", "8080:0", "65536:80", "8080:80/sctp",
		"999.1.1.1:8080:80", "1.2.3:8080:80", "10.0.2:8080:80", "::1:8080:80",
		" 8080:80", "8080: 80", "+8080:80", "8080:-80", "8080:80 ",
		"1000-1010:2000", "1000-1010:2000-2005", "1010-1000:2010-2000", "1000-:2000-",
		"a:8080:80", "8080:80/", "0x50:80",
	};
	struct publish p;
	size_t i;

	for (i = 0; i < UNIT_ARRAY_SIZE(bad); i++)
		if (!UNIT_CHECK(publish_parse(bad[i], &p) == -EINVAL))
			printf("#   \"%s\"\n", bad[i]);
}

static void one_list_per_protocol(void)
{
	static const char *const specs[] = {
		"8080:80", "127.0.0.1:8081:81", "53:53/udp", "9000-9001:90-91",
	};
	char url[USERNET_URL_MAX];

	UNIT_EQ(publish_url(specs, 4, USERNET_IP, url, sizeof(url)), 0);
	/* libvdeplug_slirp keeps the last of a repeated option: one each */
	UNIT_STREQ(url, "slirp:///tcpfwd=8080:10.0.2.15:80,127.0.0.1:8081:10.0.2.15:81,"
		   "9000:10.0.2.15:90,9001:10.0.2.15:91/udpfwd=53:10.0.2.15:53");
	UNIT_EQ(publish_url(specs, 0, USERNET_IP, url, sizeof(url)), 0);
	UNIT_STREQ(url, "slirp://");
}

static void bounded(void)
{
	static const char *const specs[] = { "1000-1200:1000-1200", "2000-2056:2000-2056" };
	char url[USERNET_URL_MAX], tiny[40];

	UNIT_EQ(publish_url(specs, 1, USERNET_IP, url, sizeof(url)), 0);
	UNIT_EQ(publish_url(specs, 2, USERNET_IP, url, sizeof(url)), -E2BIG);
	UNIT_EQ(publish_url(specs, 1, USERNET_IP, tiny, sizeof(tiny)), -ENAMETOOLONG);
}

static const struct unit_case cases[] = {
	{ "publish: ports, an address, a protocol, ranges", parses_ports_addresses_ranges },
	{ "publish: malformed specs, blanks, bad addresses, uneven ranges are EINVAL", refuses_what_is_not_a_publish },
	{ "publish: every forwarding of a protocol in one slirp option", one_list_per_protocol },
	{ "publish: at most 256 ports, and the URL's room is checked", bounded },
};

UNIT_MAIN(cases)
