// The Kubernetes launcher against a fake API server (Poco HTTP on loopback): the Secret and Pod it
// creates, waiting for Ready, an ended pod noticed, a second launch replacing the old pod, stop,
// API errors reported; then `rdkernel proxy --launcher kubernetes` against the fake API, whose
// "kubelet" runs the pod's arguments as a local rdkernel, reached by rdkernel attach.
#pragma once

#include <cppunit/extensions/HelperMacros.h>

class KubernetesLauncherTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(KubernetesLauncherTest);
  CPPUNIT_TEST(testLaunchCreatesSecretAndPodAndWaitsForReady);
  CPPUNIT_TEST(testEndedPodIsNoticedAndReplaced);
  CPPUNIT_TEST(testApiErrorsAreReported);
  CPPUNIT_TEST(testRegistryOverKubernetes);
  CPPUNIT_TEST(testShippedTemplate);
  CPPUNIT_TEST(testAttachThroughTheProxyToAPod);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testLaunchCreatesSecretAndPodAndWaitsForReady();
  void testEndedPodIsNoticedAndReplaced();
  void testApiErrorsAreReported();
  void testRegistryOverKubernetes();
  void testShippedTemplate();
  void testAttachThroughTheProxyToAPod();
};
