// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ifq NAME - ask about interfaces through an AF_UNIX socket, as glibc's
 * if_nametoindex(3) does: the kernel answers from the namespace of the
 * socket.  Prints "index=N mtu=M" for NAME (SIOCGIFINDEX, SIOCGIFMTU),
 * "name=NAME" for that index (SIOCGIFNAME), and "conf=" with the names
 * SIOCGIFCONF lists (interfaces with an IPv4 address).
 */
#include <net/if.h>

#include "progs.h"

int main(int argc, char **argv)
{
	struct ifreq ifr = { 0 }, list[64];
	struct ifconf ifc = { .ifc_len = sizeof(list), .ifc_req = list };
	int fd = socket(AF_UNIX, SOCK_DGRAM, 0), i, index;

	if (argc != 2 || fd < 0)
		fail("usage: ifq NAME");
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", argv[1]);
	if (ioctl(fd, SIOCGIFINDEX, &ifr)) {
		printf("errno=%d (%s)\n", errno, strerror(errno));
		return 2;
	}
	index = ifr.ifr_ifindex;
	printf("index=%d", index);
	if (!ioctl(fd, SIOCGIFMTU, &ifr))
		printf(" mtu=%d", ifr.ifr_mtu);
	memset(ifr.ifr_name, 0, sizeof(ifr.ifr_name));
	ifr.ifr_ifindex = index;
	if (!ioctl(fd, SIOCGIFNAME, &ifr))
		printf(" name=%s", ifr.ifr_name);
	printf(" conf=");
	if (!ioctl(fd, SIOCGIFCONF, &ifc))
		for (i = 0; i < ifc.ifc_len / (int)sizeof(struct ifreq); i++)
			printf("%s%s", i ? "," : "", list[i].ifr_name);
	putchar('\n');
	return 0;
}
