// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * publish_test - --publish: its syntax, and the slirp forwardings it makes
 */
#include <errno.h>
#include <string.h>
#include <arpa/inet.h>

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
		"[::1:8080:80", "::1]:8080:80", "[]:8080:80", "[1.2.3.4]:8080:80", "[::1] :8080:80",
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

	UNIT_EQ(publish_url(specs, 4, USERNET_IP, false, url, sizeof(url)), 0);
	/* libvdeplug_slirp keeps the last of a repeated option: one each */
	UNIT_STREQ(url, "slirp:///tcpfwd=8080:10.0.2.15:80,127.0.0.1:8081:10.0.2.15:81,"
		   "9000:10.0.2.15:90,9001:10.0.2.15:91/udpfwd=53:10.0.2.15:53");
	UNIT_EQ(publish_url(specs, 0, USERNET_IP, false, url, sizeof(url)), 0);
	UNIT_STREQ(url, "slirp://");
}

static void bounded(void)
{
	static const char *const specs[] = { "1000-1200:1000-1200", "2000-2056:2000-2056" };
	char url[USERNET_URL_MAX], tiny[40];

	UNIT_EQ(publish_url(specs, 1, USERNET_IP, false, url, sizeof(url)), 0);
	UNIT_EQ(publish_url(specs, 2, USERNET_IP, false, url, sizeof(url)), -E2BIG);
	UNIT_EQ(publish_url(specs, 1, USERNET_IP, false, tiny, sizeof(tiny)), -ENAMETOOLONG);
}

static void ipv6_and_the_address_a_socket_binds(void)
{
	struct sockaddr_storage ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
	char a[INET6_ADDRSTRLEN];
	unsigned int hp = 0;
	struct publish p;
	socklen_t len;

	UNIT_EQ(publish_parse("[::1]:8080:80", &p), 0);
	UNIT_CHECK(!p.any && p.family == AF_INET6 && p.host_port == 8080 && p.port == 80);
	inet_ntop(AF_INET6, &p.host6, a, sizeof(a));
	UNIT_STREQ(a, "::1");
	/* an IPv6 address of the host binds an AF_INET6 socket only */
	UNIT_EQ(publish_host_addr(&p, AF_INET, false, 8080, &ss, &len), -EAFNOSUPPORT);
	UNIT_EQ(publish_host_addr(&p, AF_INET6, true, 8080, &ss, &len), 0);
	UNIT_CHECK(len == sizeof(*sin6) && ntohs(sin6->sin6_port) == 8080);
	/* slirp's forwardings are IPv4's */
	{
		static const char *const specs[] = { "[::1]:8080:80" };
		char url[USERNET_URL_MAX];

		UNIT_EQ(publish_url(specs, 1, USERNET_IP, false, url, sizeof(url)), -EAFNOSUPPORT);
		UNIT_EQ(publish_url(specs, 1, USERNET_IP, true, url, sizeof(url)), 0);
		UNIT_STREQ(url, "slirp://");
	}
	/* an IPv4 address is v4-mapped for a dual-stack AF_INET6 socket */
	UNIT_EQ(publish_parse("127.0.0.1:8081:81-82", &p), -EINVAL);
	UNIT_EQ(publish_parse("127.0.0.1:8081-8082:81-82", &p), 0);
	UNIT_CHECK(publish_match(&p, false, 82, &hp) && hp == 8082);
	UNIT_CHECK(!publish_match(&p, false, 83, &hp) && !publish_match(&p, true, 81, &hp));
	UNIT_EQ(publish_host_addr(&p, AF_INET6, true, 8082, &ss, &len), -EAFNOSUPPORT);
	UNIT_EQ(publish_host_addr(&p, AF_INET6, false, 8082, &ss, &len), 0);
	inet_ntop(AF_INET6, &sin6->sin6_addr, a, sizeof(a));
	UNIT_STREQ(a, "::ffff:127.0.0.1");
	UNIT_EQ(publish_host_addr(&p, AF_INET, false, 8082, &ss, &len), 0);
	UNIT_CHECK(len == sizeof(*sin) && sin->sin_addr.s_addr == htonl(INADDR_LOOPBACK));
	/* every address: 0.0.0.0, or :: for an AF_INET6 socket */
	UNIT_EQ(publish_parse("8080:80", &p), 0);
	UNIT_EQ(publish_host_addr(&p, AF_INET6, false, 8080, &ss, &len), 0);
	UNIT_CHECK(IN6_IS_ADDR_UNSPECIFIED(&sin6->sin6_addr));
	/* TCP ports served by the host's listeners are no forwardings of slirp */
	{
		static const char *const specs[] = { "8080:80", "53:53/udp" };
		char url[USERNET_URL_MAX];

		UNIT_EQ(publish_url(specs, 2, USERNET_IP, true, url, sizeof(url)), 0);
		UNIT_STREQ(url, "slirp:///udpfwd=53:10.0.2.15:53");
	}
}

static const struct unit_case cases[] = {
	{ "publish: ports, an address, a protocol, ranges", parses_ports_addresses_ranges },
	{ "publish: malformed specs, blanks, bad addresses, uneven ranges are EINVAL", refuses_what_is_not_a_publish },
	{ "publish: every forwarding of a protocol in one slirp option", one_list_per_protocol },
	{ "publish: at most 256 ports, and the URL's room is checked", bounded },
	{ "publish: [IPv6] of the host, and the address each kind of socket binds", ipv6_and_the_address_a_socket_binds },
};

UNIT_MAIN(cases)
