// Makes cdktf's Jest matcher types visible to every test file for tsc.
import "cdktf/lib/testing/adapters/jest";
