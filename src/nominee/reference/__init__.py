"""Reference data: NOC 2021, census divisions and regions, Job Bank wages, occupation lists."""
