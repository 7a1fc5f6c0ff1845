// rdkernel: see cli_main.cpp.
namespace rdk::cli {
int runMain(int argc, char** argv);
}

int main(int argc, char** argv) {
  return rdk::cli::runMain(argc, argv);
}
