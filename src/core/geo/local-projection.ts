import CheapRuler from 'cheap-ruler';

/**
 * A flat metric frame around one latitude (cheap-ruler's WGS84 scale factors): x east, y north, metres.
 * One frame per area, reused: at city scale its distances are within 0.1% of the ellipsoid.
 */
export class LocalProjection {
  readonly kx: number;
  readonly ky: number;

  constructor(latitude: number) {
    const ruler = new CheapRuler(latitude, 'meters');
    this.kx = ruler.kx;
    this.ky = ruler.ky;
  }

  x(lon: number): number {
    return lon * this.kx;
  }

  y(lat: number): number {
    return lat * this.ky;
  }

  lon(x: number): number {
    return x / this.kx;
  }

  lat(y: number): number {
    return y / this.ky;
  }

  /** Distance in metres between two lon/lat points in this frame. */
  distanceM(lon1: number, lat1: number, lon2: number, lat2: number): number {
    const dx = (lon2 - lon1) * this.kx;
    const dy = (lat2 - lat1) * this.ky;
    return Math.sqrt(dx * dx + dy * dy);
  }
}
