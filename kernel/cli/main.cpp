// rdkernel: see cli_main.cpp.
#include <malloc.h>

namespace rdk::cli {
int runMain(int argc, char** argv);
}

int main(int argc, char** argv) {
  // Packets of a few hundred kB come and go (hellos, draws); with glibc's adaptive threshold
  // they end up on the heap after the first free and the process keeps their pages (64 peers
  // that sent a 1 MB hello each left up to 44 MB of RSS behind). A fixed threshold maps them,
  // and gives them back when they are freed.
  mallopt(M_MMAP_THRESHOLD, 256 * 1024);
  return rdk::cli::runMain(argc, argv);
}
