#!/usr/bin/perl
# pi-probe: public-inbox's side of bench/archive/run.
#   pi-probe.pl import INBOX_NAME FILE.mbox   (mboxrd, indexed as it goes)
#   pi-probe.pl search INBOX_NAME QUERIES.txt
# search prints "search N median_ms p99_ms queries_with_hits" and the same
# as CPU time ("search-cpu"), for 20 results per query fetched as
# messages' summaries, as its WWW and lei searches do; then "matches N",
# Xapian's count of matching messages over all queries (untimed).
use strict;
use warnings;
use Time::HiRes qw(clock_gettime CLOCK_MONOTONIC CLOCK_PROCESS_CPUTIME_ID);
use PublicInbox::Config;
use PublicInbox::InboxWritable;

my ($cmd, $name, $file) = @ARGV;
my $cfg = PublicInbox::Config->new;
my $ibx = $cfg->lookup_name($name) or die "no inbox $name\n";

if ($cmd eq 'import') {
	my $w = PublicInbox::InboxWritable->new($ibx);
	open my $fh, '<', $file or die "$file: $!\n";
	$w->import_mbox($fh, 'mboxrd');
	exit 0;
}

my $srch = $ibx->isrch // $ibx->search or die "no search for $name\n";
open my $q, '<', $file or die "$file: $!\n";
my (@t, @c, $any, $matches);
$any = $matches = 0;
while (my $line = <$q>) {
	chomp $line;
	my $t0 = clock_gettime(CLOCK_MONOTONIC);
	my $c0 = clock_gettime(CLOCK_PROCESS_CPUTIME_ID);
	my $mset = $srch->mset($line, { limit => 20 });
	my $smsgs = $srch->mset_to_smsg($ibx, $mset);
	push @t, (clock_gettime(CLOCK_MONOTONIC) - $t0) * 1000;
	push @c, (clock_gettime(CLOCK_PROCESS_CPUTIME_ID) - $c0) * 1000;
	$any++ if @$smsgs;
	$matches += $srch->mset($line, { limit => 1 })->get_matches_estimated;
}
for my $set (['search', \@t], ['search-cpu', \@c]) {
	my @v = sort { $a <=> $b } @{$set->[1]};
	my $n = scalar @v;
	printf "%s %d %.3f %.3f %d\n", $set->[0], $n, $v[int($n / 2)],
	    $v[$n - 1 - int($n / 100)], $any;
}
print "matches $matches\n";
