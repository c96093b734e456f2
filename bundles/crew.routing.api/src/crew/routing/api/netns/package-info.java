/** Network namespaces behind an SPI (implemented on Linux only): the lab, namespaced devices, tests. */
package crew.routing.api.netns;
