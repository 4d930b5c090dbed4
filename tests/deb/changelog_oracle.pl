#!/usr/bin/perl
# The changelog oracle: dpkg's own parser (Dpkg::Changelog::Debian, the code
# behind dpkg-parsechangelog) run once over every file named as an argument, so
# 1000+ changelogs cost one perl start instead of one each.
# Output, one record per file (values escaped: \\ \n \t):
#   F <file>
#   E <line>\t<message>          one per parse error (dpkg-parsechangelog's warnings)
#   N <source>\t<version>\t<dists>\t<urgency>\t<maintainer>\t<date>\t<timestamp>\t<closes>\t<changes>
#   T <1 if an unparsed tail (old format, editor variables) follows>
#   .
use strict;
use warnings;
use Dpkg::Changelog::Debian;

sub esc {
  my $s = shift // '';
  $s =~ s/\\/\\\\/g;
  $s =~ s/\n/\\n/g;
  $s =~ s/\t/\\t/g;
  return $s;
}

binmode STDOUT;
foreach my $file (@ARGV) {
  next if $file eq '';
  my $cl = Dpkg::Changelog::Debian->new(verbose => 0, reportfile => $file);
  print 'F ', esc($file), "\n";
  # load() dies on an unreadable file; report it as an error on line 0.
  my $ok = eval { $cl->load($file, compression => 1); 1 };
  print "E 0\t", esc($@), "\n" unless $ok;
  foreach my $e ($cl->get_parse_errors()) {
    print 'E ', $e->[1], "\t", esc($e->[2]), "\n";
  }
  foreach my $entry (@{$cl}) {
    my $tp = $entry->get_timepiece;
    my $fields = $entry->get_optional_fields;
    print 'N ', join("\t", map { esc($_) } (
      $entry->get_source, $entry->get_version // '', join(' ', $entry->get_distributions),
      $entry->get_urgency, $entry->get_maintainer, $entry->get_timestamp,
      $tp ? $tp->epoch : '', $fields->{Closes}, $entry->get_dpkg_changes)), "\n";
  }
  print 'T ', (defined $cl->get_unparsed_tail ? 1 : 0), "\n.\n";
}
