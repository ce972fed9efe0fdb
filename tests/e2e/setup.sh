#!/bin/bash
# Prepare a Debian 12 host for the end-to-end tests.  Idempotent; run as root.
#
# Installs Postfix (preseeded to "No configuration", so nothing is asked and
# no system instance is configured or needed), swaks and python3, Dovecot's
# IMAP and POP3 servers and openssl for the hosted-mailbox tests (their
# system service is kept from starting while they install: the tests start
# a private instance with its own configuration), and creates
# the unprivileged user the Postfix pipe transport runs metodist as.  The
# tests start their own private Postfix instance; the system one, if any, is
# left alone.
set -u

E2E_USER=${E2E_USER:-metodist-test}

say() { printf 'setup: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

[ "$(id -u)" -eq 0 ] || die "must run as root"

missing=()
for pair in postfix:/usr/sbin/postfix swaks:/usr/bin/swaks \
	python3:python3 iconv:iconv runuser:runuser \
	dovecot-imapd:/usr/lib/dovecot/imap dovecot-pop3d:/usr/lib/dovecot/pop3 \
	openssl:openssl; do
	pkg=${pair%%:*}
	cmd=${pair#*:}
	if ! command -v "$cmd" >/dev/null 2>&1; then
		case $pkg in
		iconv) pkg=libc-bin ;;
		runuser) pkg=util-linux ;;
		esac
		missing+=("$pkg")
	fi
done

if [ "${#missing[@]}" -gt 0 ]; then
	say "installing: ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	if printf '%s\n' "${missing[@]}" | grep -qx postfix; then
		debconf-set-selections <<-'EOF' || die "debconf-set-selections failed"
		postfix postfix/main_mailer_type select No configuration
		postfix postfix/mailname string e2e.localhost
		EOF
	fi
	# No service of a package installed here is started (exit 101 of
	# policy-rc.d): the tests run their own private instances.
	own_policy=0
	if [ ! -e /usr/sbin/policy-rc.d ]; then
		printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d &&
			chmod 755 /usr/sbin/policy-rc.d && own_policy=1
	fi
	apt-get update -q >&2 || die "apt-get update failed"
	apt-get install -y -q --no-install-recommends \
		-o Dpkg::Options::=--force-confdef \
		-o Dpkg::Options::=--force-confold \
		"${missing[@]}" >&2
	rc=$?
	[ "$own_policy" -eq 1 ] && rm -f /usr/sbin/policy-rc.d
	[ "$rc" -eq 0 ] || die "apt-get install failed"
fi

# Postfix's own accounts: the package creates them, but a half-installed
# system may lack them.
getent group postdrop >/dev/null || groupadd --system postdrop ||
	die "cannot create group postdrop"
if ! getent passwd postfix >/dev/null; then
	useradd --system --home-dir /var/spool/postfix --no-create-home \
		--shell /usr/sbin/nologin --user-group postfix ||
		die "cannot create user postfix"
fi

if ! getent passwd "$E2E_USER" >/dev/null; then
	say "creating user $E2E_USER"
	useradd --system --no-create-home --home-dir /nonexistent \
		--shell /usr/sbin/nologin --user-group "$E2E_USER" ||
		die "cannot create user $E2E_USER"
fi

# The pipe transport refuses to run as root or as the mail owner; make sure
# the configured user is neither.
[ "$(id -u "$E2E_USER")" -ne 0 ] || die "$E2E_USER must not be root"

say "ok"
exit 0
