/* loket — a discrete-event simulator of customer queues and service levels. */
#include "cli/commands.h"

int main(int argc, char **argv)
{
  return loket_main(argc, argv);
}
