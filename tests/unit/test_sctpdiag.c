// SPDX-License-Identifier: GPL-2.0-or-later
/* sock_diag replies for SCTP endpoints, hand-built the way net/sctp/diag.c
 * builds them (inet_diag_msg, INET_DIAG_LOCALS as an array of
 * sockaddr_storage), and what nobody should send. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>
#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/sock_diag.h>

#include "../../netlink/sctpdiag.h"

static char buf[8192] __attribute__((aligned(4)));
static size_t used;

static struct nlmsghdr *ep_msg(uint32_t seq, int family, uint16_t port, uint32_t ino,
			       uint32_t uid, uint8_t state)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf + used);
	struct inet_diag_msg *r;

	nlh->nlmsg_type = SOCK_DIAG_BY_FAMILY;
	nlh->nlmsg_flags = NLM_F_MULTI;
	nlh->nlmsg_seq = seq;
	r = mnl_nlmsg_put_extra_header(nlh, sizeof(*r));
	r->idiag_family = (uint8_t)family;
	r->idiag_state = state;
	r->id.idiag_sport = htons(port);
	r->idiag_inode = ino;
	r->idiag_uid = uid;
	return nlh;
}

static void put_locals(struct nlmsghdr *nlh, const char *const *addrs, size_t n)
{
	struct sockaddr_storage v[4];

	memset(v, 0, sizeof(v));
	for (size_t i = 0; i < n; i++) {
		if (strchr(addrs[i], ':')) {
			struct sockaddr_in6 *s6 = (void *)&v[i];

			s6->sin6_family = AF_INET6;
			assert_int_equal(inet_pton(AF_INET6, addrs[i], &s6->sin6_addr), 1);
		} else {
			struct sockaddr_in *s4 = (void *)&v[i];

			s4->sin_family = AF_INET;
			assert_int_equal(inet_pton(AF_INET, addrs[i], &s4->sin_addr), 1);
		}
	}
	mnl_attr_put(nlh, INET_DIAG_LOCALS, n * sizeof(v[0]), v);
}

static void end(struct nlmsghdr *nlh)
{
	used += NLMSG_ALIGN(nlh->nlmsg_len);
}

static void done_msg(uint32_t seq)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf + used);

	nlh->nlmsg_type = NLMSG_DONE;
	nlh->nlmsg_seq = seq;
	mnl_nlmsg_put_extra_header(nlh, sizeof(int));
	end(nlh);
}

struct seen {
	size_t n;
	struct sctpdiag_ep ep[8];
	char addrs[8][128];
};

static int collect(const struct sctpdiag_ep *ep, void *ctx)
{
	struct seen *s = ctx;
	char *o = s->addrs[s->n];

	s->ep[s->n] = *ep;
	*o = '\0';
	for (size_t i = 0; i < ep->nlocal; i++) {
		struct sockaddr_storage ss;
		char a[INET6_ADDRSTRLEN];

		assert_int_equal(sctpdiag_local(ep, i, &ss), 0);
		inet_ntop(ss.ss_family, ss.ss_family == AF_INET ?
			  (void *)&((struct sockaddr_in *)&ss)->sin_addr :
			  (void *)&((struct sockaddr_in6 *)&ss)->sin6_addr, a, sizeof(a));
		strcat(o, i ? " " : "");
		strcat(o, a);
	}
	s->n++;
	return 0;
}

static int reset(void **state)
{
	(void)state;
	memset(buf, 0, sizeof(buf));
	used = 0;
	return 0;
}

/* Two endpoints (an IPv4 listener, a dual-stack one-to-many socket with a
 * v4-mapped-free IPv4 and an IPv6 address), a leftover of an older request,
 * then DONE. */
static void endpoints_and_done(void **state)
{
	static const char *const a1[] = { "10.1.0.1", "10.2.0.1" };
	static const char *const a2[] = { "10.1.0.1", "fd01::1" };
	struct nlmsghdr *nlh;
	struct seen s = { 0 };
	unsigned long bad = 0;

	(void)state;
	nlh = ep_msg(7, AF_INET, 3868, 1001, 0, 10);
	put_locals(nlh, a1, 2);
	end(nlh);
	nlh = ep_msg(6, AF_INET, 9, 9, 0, 10);     /* another request's */
	end(nlh);
	nlh = ep_msg(7, AF_INET6, 2905, 1002, 1000, 7);
	put_locals(nlh, a2, 2);
	end(nlh);
	/* The association record after its socket's: carries the peers. */
	nlh = ep_msg(7, AF_INET6, 2905, 1002, 1000, 3);
	put_locals(nlh, a2, 2);
	mnl_attr_put(nlh, INET_DIAG_PEERS, 128, buf + 6000);
	end(nlh);
	done_msg(7);
	assert_int_equal(sctpdiag_datagram(buf, used, 7, collect, &s, &bad), 1);
	assert_int_equal(bad, 0);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.ep[0].port, 3868);
	assert_int_equal(s.ep[0].inode, 1001);
	assert_int_equal(s.ep[0].state, 10);
	assert_int_equal(s.ep[0].family, AF_INET);
	assert_string_equal(s.addrs[0], "10.1.0.1 10.2.0.1");
	assert_int_equal(s.ep[1].uid, 1000);
	assert_int_equal(s.ep[1].family, AF_INET6);
	assert_string_equal(s.addrs[1], "10.1.0.1 fd01::1");
	assert_int_equal(sctpdiag_local(&s.ep[1], 2, &(struct sockaddr_storage){ 0 }), -ERANGE);
}

/* The kernel without sctp_diag answers the dump with NLMSG_ERROR -ENOENT. */
static void error_reply(void **state)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nlmsgerr *e;
	struct seen s = { 0 };
	unsigned long bad = 0;

	(void)state;
	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_seq = 3;
	e = mnl_nlmsg_put_extra_header(nlh, sizeof(*e));
	e->error = -ENOENT;
	assert_int_equal(sctpdiag_datagram(buf, nlh->nlmsg_len, 3, collect, &s, &bad), -ENOENT);
	/* A truncated error is malformed, not a success. */
	nlh->nlmsg_len = NLMSG_HDRLEN + 2;
	assert_int_equal(sctpdiag_datagram(buf, nlh->nlmsg_len, 3, collect, &s, &bad), -EBADMSG);
	/* A dump that fails once begun (no sctp_diag: seen on a kernel
	 * without SCTP) ends with NLMSG_DONE carrying the errno. */
	nlh->nlmsg_type = NLMSG_DONE;
	nlh->nlmsg_len = NLMSG_LENGTH(sizeof(int));
	*(int *)NLMSG_DATA(nlh) = -ENOENT;
	assert_int_equal(sctpdiag_datagram(buf, nlh->nlmsg_len, 3, collect, &s, &bad), -ENOENT);
	*(int *)NLMSG_DATA(nlh) = 0;
	assert_int_equal(sctpdiag_datagram(buf, nlh->nlmsg_len, 3, collect, &s, &bad), 1);
	assert_int_equal(s.n, 0);
}

/* Bad messages are counted and skipped; the walk goes on. */
static void malformed(void **state)
{
	static const char *const a1[] = { "10.1.0.1" };
	struct nlmsghdr *nlh;
	struct seen s = { 0 };
	unsigned long bad = 0;

	(void)state;
	nlh = ep_msg(1, AF_INET, 1, 1, 0, 10);
	mnl_attr_put(nlh, INET_DIAG_LOCALS, 100, buf + 4000);  /* not n * 128 */
	end(nlh);
	nlh = ep_msg(1, AF_UNIX, 1, 2, 0, 10);
	end(nlh);
	nlh = ep_msg(1, AF_INET, 1, 3, 0, 10);
	nlh->nlmsg_len = NLMSG_HDRLEN + 8;                     /* short payload */
	end(nlh);
	nlh = ep_msg(1, AF_INET, 5000, 4, 0, 10);
	put_locals(nlh, a1, 1);
	end(nlh);
	assert_int_equal(sctpdiag_datagram(buf, used, 1, collect, &s, &bad), 0);
	assert_int_equal(bad, 3);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.ep[0].inode, 4);
	/* A header claiming more than the datagram holds ends the walk. */
	bad = 0;
	((struct nlmsghdr *)buf)->nlmsg_len = 0x80000000u;
	assert_int_equal(sctpdiag_datagram(buf, used, 1, collect, &s, &bad), 0);
	assert_int_equal(bad, 1);
}

static void request(void **state)
{
	const struct nlmsghdr *nlh = (const void *)buf;
	const struct inet_diag_req_v2 *r;

	(void)state;
	assert_int_equal(sctpdiag_request(buf, 8, AF_INET6, 5), 0);
	assert_int_equal(sctpdiag_request(buf, sizeof(buf), AF_INET6, 5), NLMSG_LENGTH(sizeof(*r)));
	r = NLMSG_DATA(nlh);
	assert_int_equal(nlh->nlmsg_type, SOCK_DIAG_BY_FAMILY);
	assert_true(nlh->nlmsg_flags & NLM_F_DUMP);
	assert_int_equal(r->sdiag_family, AF_INET6);
	assert_int_equal(r->sdiag_protocol, IPPROTO_SCTP);
	assert_int_equal(r->idiag_states, ~0u);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(endpoints_and_done, reset),
		cmocka_unit_test_setup(error_reply, reset),
		cmocka_unit_test_setup(malformed, reset),
		cmocka_unit_test_setup(request, reset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
