// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <libmnl/libmnl.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>

#include "nlparse.h"

/* What each attribute we read must be; MNL_TYPE_UNSPEC (0): not checked. */
struct attr_rules {
	const struct nlattr **tb;
	uint16_t max;
	const uint8_t *type;            /* max + 1 entries */
};

static int attr_cb(const struct nlattr *attr, void *data)
{
	const struct attr_rules *r = data;
	uint16_t type = mnl_attr_get_type(attr);

	if (mnl_attr_type_valid(attr, r->max) < 0)
		return MNL_CB_OK;       /* newer kernel's attribute: not ours */
	if (r->type[type] && mnl_attr_validate(attr, r->type[type]) < 0)
		return MNL_CB_ERROR;
	r->tb[type] = attr;
	return MNL_CB_OK;
}

/* Attributes are walked within nlmsg_len exactly (mnl_attr_parse would
 * round it up to the alignment and read up to 3 bytes past a short message);
 * the lengths of the ones we read are checked against the rules. */
static int parse_attrs(const struct nlmsghdr *nlh, size_t hdrlen, uint16_t max,
		       const uint8_t *type, const struct nlattr **tb)
{
	struct attr_rules r = { tb, max, type };
	size_t off = NLMSG_HDRLEN + MNL_ALIGN(hdrlen);

	if (nlh->nlmsg_len < off)
		return nlh->nlmsg_len == NLMSG_HDRLEN + hdrlen ? 0 : -1;
	return mnl_attr_parse_payload((const char *)nlh + off, nlh->nlmsg_len - off,
				      attr_cb, &r) == MNL_CB_OK ? 0 : -1;
}

static const uint8_t addr_types[IFA_MAX + 1] = {
	[IFA_ADDRESS] = MNL_TYPE_BINARY,
	[IFA_LOCAL] = MNL_TYPE_BINARY,
	[IFA_FLAGS] = MNL_TYPE_U32,
};

static const uint8_t route_types[RTA_MAX + 1] = {
	[RTA_DST] = MNL_TYPE_BINARY,
	[RTA_OIF] = MNL_TYPE_U32,
	[RTA_TABLE] = MNL_TYPE_U32,
};

static const uint8_t link_types[IFLA_MAX + 1] = {
	[IFLA_IFNAME] = MNL_TYPE_NUL_STRING,
	[IFLA_LINKMODE] = MNL_TYPE_U8,
};

int nlparse_addr(const struct nlmsghdr *nlh, struct host_addr *out)
{
	const struct nlattr *tb[IFA_MAX + 1] = { 0 };
	const struct nlattr *which;
	const struct ifaddrmsg *ifa;
	size_t alen;

	if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*ifa)))
		return -EBADMSG;
	ifa = mnl_nlmsg_get_payload(nlh);
	if (ifa->ifa_family == AF_INET)
		alen = 4;
	else if (ifa->ifa_family == AF_INET6)
		alen = 16;
	else
		return -EAFNOSUPPORT;
	if (parse_attrs(nlh, sizeof(*ifa), IFA_MAX, addr_types, tb))
		return -EBADMSG;

	/* On point-to-point links IFA_ADDRESS is the peer; IFA_LOCAL is ours. */
	which = tb[IFA_LOCAL] ? tb[IFA_LOCAL] : tb[IFA_ADDRESS];
	if (!which || mnl_attr_get_payload_len(which) != alen)
		return -EBADMSG;
	if (ifa->ifa_prefixlen > alen * 8 || ifa->ifa_index == 0 ||
	    ifa->ifa_index > INT32_MAX)
		return -EBADMSG;

	memset(out, 0, sizeof(*out));
	out->ifindex = (int)ifa->ifa_index;
	out->family = ifa->ifa_family;
	memcpy(out->a.raw, mnl_attr_get_payload(which), alen);
	out->prefixlen = ifa->ifa_prefixlen;
	out->scope = ifa->ifa_scope;
	/* IFA_FLAGS (3.14+) carries all 32 bits; ifa_flags only the low 8. */
	out->flags = tb[IFA_FLAGS] ? mnl_attr_get_u32(tb[IFA_FLAGS])
				   : ifa->ifa_flags;
	return 0;
}

int nlparse_local_route(const struct nlmsghdr *nlh, struct host_addr *out)
{
	const struct nlattr *tb[RTA_MAX + 1] = { 0 };
	const struct rtmsg *rtm;
	uint32_t table, oif;

	if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*rtm)))
		return -EBADMSG;
	rtm = mnl_nlmsg_get_payload(nlh);
	if (rtm->rtm_family != AF_INET || rtm->rtm_type != RTN_LOCAL || rtm->rtm_dst_len != 32)
		return -ENOENT;
	if (parse_attrs(nlh, sizeof(*rtm), RTA_MAX, route_types, tb))
		return -EBADMSG;
	/* RTA_TABLE carries ids above 255; rtm_table says RT_TABLE_COMPAT then. */
	table = tb[RTA_TABLE] ? mnl_attr_get_u32(tb[RTA_TABLE]) : rtm->rtm_table;
	if (table != RT_TABLE_LOCAL)
		return -ENOENT;
	if (!tb[RTA_DST] || mnl_attr_get_payload_len(tb[RTA_DST]) != 4 || !tb[RTA_OIF])
		return -EBADMSG;
	oif = mnl_attr_get_u32(tb[RTA_OIF]);
	if (oif == 0 || oif > INT32_MAX)
		return -EBADMSG;
	memset(out, 0, sizeof(*out));
	out->ifindex = (int)oif;
	out->family = AF_INET;
	memcpy(out->a.raw, mnl_attr_get_payload(tb[RTA_DST]), 4);
	out->prefixlen = 32;
	out->scope = rtm->rtm_scope;
	return 0;
}

int nlparse_link(const struct nlmsghdr *nlh, struct host_link *out)
{
	const struct nlattr *tb[IFLA_MAX + 1] = { 0 };
	const struct ifinfomsg *ifi;
	const char *name;

	if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*ifi)))
		return -EBADMSG;
	ifi = mnl_nlmsg_get_payload(nlh);
	/* Only AF_UNSPEC speaks for the link itself.  The bridge sends
	 * AF_BRIDGE RTM_NEWLINK/RTM_DELLINK when a port joins or leaves it:
	 * the port and its addresses stay. */
	if (ifi->ifi_family != AF_UNSPEC)
		return -EAFNOSUPPORT;
	if (ifi->ifi_index <= 0)
		return -EBADMSG;
	if (parse_attrs(nlh, sizeof(*ifi), IFLA_MAX, link_types, tb))
		return -EBADMSG;

	memset(out, 0, sizeof(*out));
	out->ifindex = ifi->ifi_index;
	out->flags = ifi->ifi_flags;
	if (tb[IFLA_LINKMODE])
		out->linkmode = mnl_attr_get_u8(tb[IFLA_LINKMODE]);
	if (tb[IFLA_IFNAME]) {
		name = mnl_attr_get_str(tb[IFLA_IFNAME]);
		if (strlen(name) >= sizeof(out->name))
			return -EBADMSG;
		strcpy(out->name, name);
	}
	return 0;
}
